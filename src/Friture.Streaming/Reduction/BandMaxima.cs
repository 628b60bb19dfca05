using System.Collections.Immutable;

namespace Friture.Streaming.Reduction;

/// <summary>Gathers the bins of a spectrum (any ascending frequency axis) into a budget of bands, keeping each band's maximum.</summary>
internal static class BandMaxima
{
    /// <summary>Reduces one spectrum.</summary>
    /// <param name="frequencies">Bin frequencies in Hz, ascending.</param>
    /// <param name="levelsDb">Bin levels in dB, as many as frequencies.</param>
    /// <param name="linear">Linear magnitudes of the same bins, or empty when the payload has none.</param>
    /// <param name="resolution">Budget and range.</param>
    /// <returns>Band frequencies (centres), levels and linear magnitudes (empty when <paramref name="linear"/> was).</returns>
    public static (ImmutableArray<float> Frequencies, ImmutableArray<float> LevelsDb, ImmutableArray<float> Linear) Reduce(
        ImmutableArray<float> frequencies, ImmutableArray<float> levelsDb, ImmutableArray<float> linear, SpectrumResolution resolution)
    {
        var n = Math.Min(frequencies.Length, levelsDb.Length);
        var hasLinear = linear.Length >= n && n > 0;
        if (n == 0)
        {
            return ([], [], []);
        }

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

        if (fmax <= fmin || hi - lo <= resolution.Points)
        {
            // Nothing to gather: the bins in range, as they are (rounded like every reduced payload).
            var count = hi - lo;
            var f = new float[count];
            var d = new float[count];
            var l = hasLinear ? new float[count] : [];
            for (var i = 0; i < count; i++)
            {
                f[i] = Rounding.Significant(frequencies[lo + i], 4);
                d[i] = Rounding.Decibels(levelsDb[lo + i]);
                if (hasLinear)
                {
                    l[i] = Rounding.Significant(linear[lo + i], 4);
                }
            }

            return (ImmutableArray.Create(f), ImmutableArray.Create(d), ImmutableArray.Create(l));
        }

        var points = resolution.Points;
        var log = resolution.Scale == SpectrumScale.Log;
        var outF = new float[points];
        var outD = new float[points];
        var outL = hasLinear ? new float[points] : [];
        var k = lo;
        var lower = fmin;
        for (var i = 0; i < points; i++)
        {
            var upper = Edge(fmin, fmax, i + 1, points, log);
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
                // A band narrower than the bin spacing: interpolate between the bins around its centre.
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

        return (ImmutableArray.Create(outF), ImmutableArray.Create(outD), ImmutableArray.Create(outL));
    }

    private static double Edge(double fmin, double fmax, int index, int points, bool log) =>
        log ? fmin * Math.Pow(fmax / fmin, (double)index / points) : fmin + ((fmax - fmin) * index / points);
}
