using Friture.Streaming.Dsp.Weighting;

namespace Friture.Streaming.Tests.Dsp.Weighting;

public sealed class WeightingCurvesTests
{
    // Nominal one-third-octave frequencies 10 Hz .. 20 kHz (band index -20 .. 13 around 1 kHz).
    internal static readonly double[] Nominal =
    [
        10, 12.5, 16, 20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800,
        1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000,
    ];

    // IEC 61672-1:2013 Table 3, A and C weightings in dB.
    private static readonly double[] TableA =
    [
        -70.4, -63.4, -56.7, -50.5, -44.7, -39.4, -34.6, -30.2, -26.2, -22.5, -19.1, -16.1, -13.4, -10.9, -8.6, -6.6, -4.8, -3.2, -1.9, -0.8,
        0.0, 0.6, 1.0, 1.2, 1.3, 1.2, 1.0, 0.5, -0.1, -1.1, -2.5, -4.3, -6.6, -9.3,
    ];

    private static readonly double[] TableC =
    [
        -14.3, -11.2, -8.5, -6.2, -4.4, -3.0, -2.0, -1.3, -0.8, -0.5, -0.3, -0.2, -0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, -0.1, -0.2, -0.3, -0.5, -0.8, -1.3, -2.0, -3.0, -4.4, -6.2, -8.5, -11.2,
    ];

    // B weighting from IEC 60651:1979 Table IV.
    private static readonly double[] TableB =
    [
        -38.2, -33.2, -28.5, -24.2, -20.4, -17.1, -14.2, -11.6, -9.3, -7.4, -5.6, -4.2, -3.0, -2.0, -1.3, -0.8, -0.5, -0.3, -0.1, 0.0,
        0.0, 0.0, 0.0, -0.1, -0.2, -0.4, -0.7, -1.2, -1.9, -2.9, -4.3, -6.1, -8.4, -11.1,
    ];

    /// <summary>Exact base-10 mid-band frequency 1000 * 10^(x/10) of the one-third-octave band with index x.</summary>
    internal static double Exact(int index) => 1000.0 * Math.Pow(10.0, (index - 20) / 10.0);

    [Fact]
    public void GainDb_A_MatchesIec61672TableWithin01Db()
    {
        AssertTable(FrequencyWeighting.A, TableA);
    }

    [Fact]
    public void GainDb_C_MatchesIec61672TableWithin01Db()
    {
        AssertTable(FrequencyWeighting.C, TableC);
    }

    [Fact]
    public void GainDb_B_MatchesIec60651TableWithin01Db()
    {
        AssertTable(FrequencyWeighting.B, TableB);
    }

    [Fact]
    public void GainDb_Z_IsFlat()
    {
        foreach (var f in Nominal)
        {
            Assert.Equal(0.0, WeightingCurves.GainDb(FrequencyWeighting.Z, f));
        }
    }

    [Theory]
    [InlineData(FrequencyWeighting.A)]
    [InlineData(FrequencyWeighting.B)]
    [InlineData(FrequencyWeighting.C)]
    public void GainDb_At1kHz_IsZeroWithin0005Db(FrequencyWeighting weighting)
    {
        Assert.InRange(WeightingCurves.GainDb(weighting, 1000), -0.005, 0.005);
    }

    private static void AssertTable(FrequencyWeighting weighting, double[] table)
    {
        for (var i = 0; i < Nominal.Length; i++)
        {
            var gain = WeightingCurves.GainDb(weighting, Exact(i));
            Assert.True(Math.Abs(gain - table[i]) <= 0.1, $"{weighting} at {Nominal[i]} Hz: {gain:F3} dB, table {table[i]} dB");
        }
    }
}
