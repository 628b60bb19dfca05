using System.Collections.Immutable;
using Friture.Streaming.Reduction;

namespace Friture.Streaming.Tests.Reduction;

/// <summary>
/// The cached band plan gives exactly what the direct computation gives (the algorithm before the plan, kept here as
/// the reference), for fresh and cached axes, several resolutions and spectra that change from message to message.
/// </summary>
public sealed class BandMaximaTests
{
    public static TheoryData<int, int, double, double, SpectrumScale> Cases => new()
    {
        { 4097, 80, 20, 20_000, SpectrumScale.Log },
        { 4097, 256, 20, 20_000, SpectrumScale.Log },
        { 4097, 2000, 20, 20_000, SpectrumScale.Log },
        { 1025, 300, 20, 20_000, SpectrumScale.Log },
        { 4097, 64, 0, 24_000, SpectrumScale.Linear },
        { 513, 100, 100, 5_000, SpectrumScale.Linear },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reduce_EqualsTheDirectComputation_MessageAfterMessage(int bins, int points, double fmin, double fmax, SpectrumScale scale)
    {
        var random = new Random(bins * 31 + points);
        var axis = ImmutableArray.CreateRange(Enumerable.Range(0, bins).Select(i => (float)(i * 24_000.0 / (bins - 1))));
        var resolution = new SpectrumResolution { Points = points, MinFrequencyHz = fmin, MaxFrequencyHz = fmax, Scale = scale };
        for (var message = 0; message < 5; message++)
        {
            var db = ImmutableArray.CreateRange(Enumerable.Range(0, bins).Select(_ => (float)(random.NextDouble() * 120 - 140)));
            var linear = ImmutableArray.CreateRange(db.Select(d => MathF.Pow(10, d / 20)));
            var (f, d, l) = BandMaxima.Reduce(axis, db, linear, resolution);
            var (ef, ed, el) = Reference(axis, db, linear, resolution);
            Assert.Equal(ef, f.ToArray());
            Assert.Equal(ed, d.ToArray());
            Assert.Equal(el, l.ToArray());
        }
    }

    [Fact]
    public void Reduce_NewAxisOfTheSameLength_DoesNotReuseTheOldAxisPlan()
    {
        var resolution = new SpectrumResolution { Points = 40 };
        var db = ImmutableArray.CreateRange(Enumerable.Range(0, 2049).Select(i => (float)-i));
        var first = ImmutableArray.CreateRange(Enumerable.Range(0, 2049).Select(i => i * 24_000f / 2048));
        var second = ImmutableArray.CreateRange(Enumerable.Range(0, 2049).Select(i => i * 12_000f / 2048));
        Assert.Equal(Reference(first, db, [], resolution).Levels, BandMaxima.Reduce(first, db, [], resolution).LevelsDb.ToArray());
        Assert.Equal(Reference(second, db, [], resolution).Levels, BandMaxima.Reduce(second, db, [], resolution).LevelsDb.ToArray());
    }

    // The computation before the cached plan (every band edge and centre computed per message).
    private static (float[] Frequencies, float[] Levels, float[] Linear) Reference(
        ImmutableArray<float> frequencies, ImmutableArray<float> levelsDb, ImmutableArray<float> linear, SpectrumResolution resolution)
    {
        var n = Math.Min(frequencies.Length, levelsDb.Length);
        var hasLinear = linear.Length >= n && n > 0;
        var fmin = resolution.MinFrequencyHz;
        var fmax = Math.Min(resolution.MaxFrequencyHz, frequencies[n - 1]);
        var lo = 0;
        while (lo < n && frequencies[lo] < fmin)
        {
            lo++;
        }

        var hi = lo;
        while (hi < n && frequencies[hi] <= fmax)
        {
            hi++;
        }

        Assert.True(hi - lo > resolution.Points, "the case must gather bins into bands");
        var points = resolution.Points;
        var log = resolution.Scale == SpectrumScale.Log;
        var outF = new float[points];
        var outD = new float[points];
        var outL = hasLinear ? new float[points] : [];
        var k = lo;
        var lower = fmin;
        for (var i = 0; i < points; i++)
        {
            var index = i + 1;
            var upper = log ? fmin * Math.Pow(fmax / fmin, (double)index / points) : fmin + ((fmax - fmin) * index / points);
            var centre = log ? Math.Sqrt(lower * upper) : 0.5 * (lower + upper);
            var last = i == points - 1;
            var best = -1;
            var max = float.NegativeInfinity;
            while (k < hi && (last || frequencies[k] < upper))
            {
                if (best < 0 || levelsDb[k] > max)
                {
                    max = levelsDb[k];
                    best = k;
                }

                k++;
            }

            outF[i] = Rounding.Significant((float)centre, 4);
            if (best >= 0)
            {
                outD[i] = Rounding.Decibels(max);
                if (hasLinear)
                {
                    outL[i] = Rounding.Significant(linear[best], 4);
                }
            }
            else
            {
                var right = Math.Min(k, n - 1);
                var left = Math.Max(right - 1, 0);
                var span = frequencies[right] - frequencies[left];
                var t = span > 0 ? Math.Clamp((centre - frequencies[left]) / span, 0, 1) : 0;
                outD[i] = Rounding.Decibels((float)(levelsDb[left] + (t * (levelsDb[right] - levelsDb[left]))));
                if (hasLinear)
                {
                    outL[i] = Rounding.Significant((float)(linear[left] + (t * (linear[right] - linear[left]))), 4);
                }
            }

            lower = upper;
        }

        return (outF, outD, outL);
    }
}
