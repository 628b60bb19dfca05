using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Common;
using Friture.Streaming.Dsp.Fft;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Tests.Dsp.Common;

public class VectorMathTests
{
    [Fact]
    public void PowerToDb_AgreesWithScalarDecibels_Within1e4Db_Over32Decades()
    {
        var random = new Random(61672);
        var power = new float[10_007]; // not a multiple of the vector width: the scalar tail runs too
        for (var i = 0; i < power.Length; i++)
        {
            power[i] = (float)Math.Pow(10, (random.NextDouble() * 32) - 20);
        }

        // Exact powers of two and the mantissa boundary around sqrt(2), where the range reduction switches.
        power[0] = 1f;
        power[1] = 0.5f;
        power[2] = 1.41421350f;
        power[3] = 1.41421360f;
        power[4] = 2.8284271f;
        var db = new float[power.Length];

        VectorMath.PowerToDb(power, db);

        for (var i = 0; i < power.Length; i++)
        {
            var expected = Decibels.FromPower(power[i]);
            Assert.True(Math.Abs(db[i] - expected) < 1e-4, $"power {power[i]:R}: {db[i]} dB, expected {expected}");
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1e-20f)]
    [InlineData(1e-30f)]
    [InlineData(float.Epsilon)]
    [InlineData(float.NaN)]
    [InlineData(-1f)]
    public void PowerToDb_AtOrBelowTheFloor_ReadsTheFloor(float value)
    {
        var power = Enumerable.Repeat(value, 37).ToArray();
        var db = new float[power.Length];

        VectorMath.PowerToDb(power, db);

        Assert.All(db, d => Assert.Equal(Decibels.Floor, d));
    }

    [Fact]
    public void Max_EveryRunLengthAndPosition_IsTheLargest()
    {
        var random = new Random(512);
        var power = Enumerable.Range(0, 300).Select(_ => (float)random.NextDouble()).ToArray();
        for (var length = 1; length <= 70; length++)
        {
            for (var start = 0; start + length <= power.Length; start += 7)
            {
                var run = power.AsSpan(start, length);
                Assert.Equal(run.ToArray().Max(), VectorMath.Max(run));
                Assert.Equal(run.ToArray().Max(v => Math.Abs(v - 0.5f)), VectorMath.MaxMagnitude(Shifted(run)));
            }
        }
    }

    private static float[] Shifted(ReadOnlySpan<float> run) => run.ToArray().Select(v => v - 0.5f).ToArray();

    [Fact]
    public void Sqrt_MatchesMathF()
    {
        var power = Enumerable.Range(0, 1001).Select(i => i * 0.37f).ToArray();
        var amplitude = new float[power.Length];

        VectorMath.Sqrt(power, amplitude);

        for (var i = 0; i < power.Length; i++)
        {
            Assert.Equal(MathF.Sqrt(power[i]), amplitude[i]);
        }
    }

    [Fact]
    public void PowerToDb_ShortDestination_NamesTheProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => VectorMath.PowerToDb(new float[8], new float[4]));
        Assert.Contains("db holds 4 values; 8 are needed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WindowType.Hann, 4096)]
    [InlineData(WindowType.FlatTop, 8192)]
    [InlineData(WindowType.Kaiser, 1024)]
    [InlineData(WindowType.Rectangular, 256)]
    public void ScallopingTable_MatchesTheDirectSum_Within1e4Db(WindowType window, int size)
    {
        var spectrum = new SlidingSpectrum(size, size / 4, window, Window.DefaultKaiserBeta);

        for (var offset = -0.5; offset <= 0.5; offset += 0.0123)
        {
            Assert.Equal(spectrum.ScallopingDirect(Math.Abs(offset)), spectrum.ScallopingDb(offset), 1e-4);
        }

        Assert.Equal(0, spectrum.ScallopingDb(0), 1e-9);
    }

    [Fact]
    public void Scalloping_Hann_HalfBin_Is1Point42Db()
    {
        // Harris (1978), table 1: Hann scalloping loss 1.42 dB.
        var spectrum = new SlidingSpectrum(4096, 1024, WindowType.Hann, Window.DefaultKaiserBeta);

        Assert.Equal(-1.42, spectrum.ScallopingDb(0.5), 0.01);
    }
}
