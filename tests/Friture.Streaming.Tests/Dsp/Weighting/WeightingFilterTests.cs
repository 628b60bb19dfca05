using Friture.Streaming.Dsp.Weighting;

namespace Friture.Streaming.Tests.Dsp.Weighting;

public sealed class WeightingFilterTests
{
    // IEC 61672-1:2013 Table 3, class 1 acceptance limits (upper, lower) in dB at the nominal frequencies.
    private static readonly (double Upper, double Lower)[] Class1 =
    [
        (3.0, double.NegativeInfinity), (2.5, double.NegativeInfinity), (2.0, -4.0), (2.0, -2.0), (2.0, -1.5), (1.5, -1.5),
        (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0),
        (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (0.7, -0.7), (1.0, -1.0), (1.0, -1.0), (1.0, -1.0),
        (1.0, -1.0), (1.0, -1.0), (1.0, -1.0), (1.5, -1.5), (1.5, -2.0), (1.5, -2.5), (2.0, -3.0), (2.0, -5.0),
        (2.5, -16.0), (3.0, double.NegativeInfinity),
    ];

    public static TheoryData<FrequencyWeighting, int> Designs() => new()
    {
        { FrequencyWeighting.A, 44100 },
        { FrequencyWeighting.A, 48000 },
        { FrequencyWeighting.C, 44100 },
        { FrequencyWeighting.C, 48000 },
    };

    [Theory]
    [MemberData(nameof(Designs))]
    public void ResponseDb_EveryThirdOctave_WithinClass1Tolerance(FrequencyWeighting weighting, int sampleRate)
    {
        var filter = new WeightingFilter(weighting, sampleRate);
        for (var i = 0; i < Class1.Length; i++)
        {
            var f = WeightingCurvesTests.Exact(i);
            var deviation = filter.ResponseDb(f) - WeightingCurves.GainDb(weighting, f);
            Assert.True(deviation <= Class1[i].Upper && deviation >= Class1[i].Lower,
                $"{weighting} at {sampleRate} Hz, {WeightingCurvesTests.Nominal[i]} Hz: deviation {deviation:F2} dB");
        }
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void ResponseDb_31HzTo5kHz_WithinQuarterDecibel(FrequencyWeighting weighting, int sampleRate)
    {
        // Where the bilinear transform barely warps, the digital filter tracks the analytic curve closely.
        var filter = new WeightingFilter(weighting, sampleRate);
        for (var i = 5; i <= 27; i++)
        {
            var f = WeightingCurvesTests.Exact(i);
            Assert.InRange(filter.ResponseDb(f) - WeightingCurves.GainDb(weighting, f), -0.25, 0.25);
        }
    }

    [Theory]
    [InlineData(FrequencyWeighting.A, 100.0)]
    [InlineData(FrequencyWeighting.A, 1000.0)]
    [InlineData(FrequencyWeighting.C, 50.0)]
    [InlineData(FrequencyWeighting.A, 4000.0)]
    public void Process_SteadySine_RmsGainMatchesCurve(FrequencyWeighting weighting, double frequency)
    {
        const int rate = 48000;
        var filter = new WeightingFilter(weighting, rate);
        var x = new float[rate * 2];
        for (var n = 0; n < x.Length; n++)
        {
            x[n] = (float)Math.Sin(2 * Math.PI * frequency * n / rate);
        }

        var y = new float[x.Length];
        filter.Process(x, y);
        double sum = 0;
        for (var n = rate; n < y.Length; n++)
        {
            sum += y[n] * (double)y[n];
        }

        var gainDb = 10 * Math.Log10(sum / rate / 0.5);
        Assert.Equal(WeightingCurves.GainDb(weighting, frequency), gainDb, 0.1);
    }
}
