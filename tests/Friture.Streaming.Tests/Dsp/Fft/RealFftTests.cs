using System.Numerics;
using Friture.Streaming.Dsp.Fft;
using Friture.Streaming.Tests.Support;
using MathNet.Numerics.IntegralTransforms;

namespace Friture.Streaming.Tests.Dsp.Fft;

public sealed class RealFftTests
{
    public static TheoryData<int> AllSizes()
    {
        var data = new TheoryData<int>();
        for (var n = RealFft.MinSize; n <= RealFft.MaxSize; n *= 2)
        {
            data.Add(n);
        }

        return data;
    }

    public static TheoryData<int> SmallSizes() => [32, 64, 128, 256, 512, 1024];

    [Theory]
    [MemberData(nameof(SmallSizes))]
    public void Forward_RandomSignal_MatchesDoubleDft(int size)
    {
        var x = RandomSignal(size, seed: size);
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        fft.Forward(x, re, im);

        var reference = new Complex[fft.BinCount];
        for (var k = 0; k < reference.Length; k++)
        {
            var sum = Complex.Zero;
            for (var n = 0; n < size; n++)
            {
                var angle = -2.0 * Math.PI * ((long)k * n % size) / size;
                sum += x[n] * new Complex(Math.Cos(angle), Math.Sin(angle));
            }

            reference[k] = sum;
        }

        Assert.True(RelativeRmsError(re, im, reference) < 1e-5);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Forward_RandomSignal_MatchesMathNetWithin1e5RelativeRms(int size)
    {
        var x = RandomSignal(size, seed: 7 + size);
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        fft.Forward(x, re, im);

        var reference = MathNetSpectrum(x);
        var error = RelativeRmsError(re, im, reference);
        Assert.True(error < 1e-5, $"relative RMS error {error:E2} at N = {size}");
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Forward_VectorPath_MatchesScalarPath(int size)
    {
        var x = RandomSignal(size, seed: 3 * size);
        var vector = new RealFft(size);
        var scalar = new RealFft(size, useVectors: false);
        var vr = new float[vector.BinCount];
        var vi = new float[vector.BinCount];
        var sr = new float[vector.BinCount];
        var si = new float[vector.BinCount];
        vector.Forward(x, vr, vi);
        scalar.Forward(x, sr, si);

        var reference = new Complex[sr.Length];
        for (var k = 0; k < sr.Length; k++)
        {
            reference[k] = new Complex(sr[k], si[k]);
        }

        Assert.False(scalar.IsVectorized);
        Assert.True(RelativeRmsError(vr, vi, reference) < 1e-6);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Inverse_OfForward_ReturnsInput(int size)
    {
        foreach (var useVectors in new[] { true, false })
        {
            var x = RandomSignal(size, seed: size + 11);
            var fft = new RealFft(size, useVectors);
            var re = new float[fft.BinCount];
            var im = new float[fft.BinCount];
            var y = new float[size];
            fft.Forward(x, re, im);
            fft.Inverse(re, im, y);

            double err = 0, energy = 0;
            for (var n = 0; n < size; n++)
            {
                err += (y[n] - x[n]) * (double)(y[n] - x[n]);
                energy += x[n] * (double)x[n];
            }

            Assert.True(Math.Sqrt(err / energy) < 1e-5, $"round trip error {Math.Sqrt(err / energy):E2} (vectors: {useVectors})");
        }
    }

    [Theory]
    [MemberData(nameof(SmallSizes))]
    public void Inverse_SingleBin_GivesCosine(int size)
    {
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        var k = size / 8;
        re[k] = size / 2f;
        var y = new float[size];
        fft.Inverse(re, im, y);
        for (var n = 0; n < size; n++)
        {
            Assert.Equal(Math.Cos(2 * Math.PI * k * n / size), y[n], 1e-5);
        }
    }

    [Fact]
    public void Forward_FullScaleSineOnBin_MagnitudeIsHalfN()
    {
        const int size = 4096;
        const int bin = 100;
        var x = new float[size];
        for (var n = 0; n < size; n++)
        {
            x[n] = (float)Math.Sin(2 * Math.PI * bin * n / size);
        }

        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        fft.Forward(x, re, im);
        Assert.Equal(size / 2.0, Math.Sqrt((re[bin] * re[bin]) + (im[bin] * im[bin])), 1e-3 * size);
        Assert.Equal(-size / 2.0, im[bin], 1e-3 * size);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(48)]
    [InlineData(16)]
    [InlineData(131072)]
    public void Constructor_InvalidSize_Throws(int size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(size));
        Assert.Contains("power of two", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_WrongInputLength_Throws()
    {
        var fft = new RealFft(64);
        Assert.Throws<ArgumentException>(() => fft.Forward(new float[63], new float[33], new float[33]));
        Assert.Throws<ArgumentException>(() => fft.Forward(new float[64], new float[32], new float[33]));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void ForwardAndInverse_SteadyState_AllocateNothing(int size)
    {
        var fft = new RealFft(size);
        var x = RandomSignal(size, 1);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        var y = new float[size];
        for (var i = 0; i < 10; i++)
        {
            fft.Forward(x, re, im);
            fft.Inverse(re, im, y);
        }

        // A per-call allocation recurs in every round and fails; a one-off runtime allocation (tier-up on a loaded
        // machine) does not: the shared helper used by the analyzer tests.
        Allocations.AssertSteadyStateAllocatesNothing(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                fft.Forward(x, re, im);
                fft.Inverse(re, im, y);
            }
        });
    }

    internal static float[] RandomSignal(int size, int seed)
    {
        var random = new Random(seed);
        var x = new float[size];
        for (var i = 0; i < size; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return x;
    }

    private static Complex[] MathNetSpectrum(float[] x)
    {
        var c = new Complex[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            c[i] = new Complex(x[i], 0);
        }

        Fourier.Forward(c, FourierOptions.AsymmetricScaling);
        return c[..((x.Length / 2) + 1)];
    }

    private static double RelativeRmsError(float[] re, float[] im, Complex[] reference)
    {
        double err = 0, energy = 0;
        for (var k = 0; k < reference.Length; k++)
        {
            var dr = re[k] - reference[k].Real;
            var di = im[k] - reference[k].Imaginary;
            err += (dr * dr) + (di * di);
            energy += reference[k].Magnitude * reference[k].Magnitude;
        }

        return Math.Sqrt(err / energy);
    }
}
