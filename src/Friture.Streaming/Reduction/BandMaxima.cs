using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Friture.Streaming.Reduction;

/// <summary>Gathers the bins of a spectrum (any ascending frequency axis) into a budget of bands, keeping each band's maximum.</summary>
/// <remarks>
/// Everything that depends only on the frequency axis and the resolution (the bins in range, each band's bins, its
/// rounded centre, the interpolation for a band narrower than the bins, the rounded axis when the bins are passed
/// through) is a plan built once and cached; a reduction is then one pass over the bins in range (the maxima, with
/// vectors) and one over the bands (rounding, with vectors), and allocates only the arrays it returns.
/// </remarks>
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

        var plan = BandPlan.For(frequencies, n, resolution);
        var levels = levelsDb.AsSpan();
        if (plan.PassThrough)
        {
            // Nothing to gather: the bins in range, as they are (rounded like every reduced payload).
            var count = plan.Hi - plan.Lo;
            var d = GC.AllocateUninitializedArray<float>(count);
            levels.Slice(plan.Lo, count).CopyTo(d);
            Rounding.Decibels(d);
            var l = ImmutableArray<float>.Empty;
            if (hasLinear)
            {
                var values = GC.AllocateUninitializedArray<float>(count);
                linear.AsSpan().Slice(plan.Lo, count).CopyTo(values);
                Rounding.Significant(values, 4);
                l = ImmutableCollectionsMarshal.AsImmutableArray(values);
            }

            return (plan.Centres, ImmutableCollectionsMarshal.AsImmutableArray(d), l);
        }

        var points = plan.Points;
        var edges = plan.Edges;
        var outD = GC.AllocateUninitializedArray<float>(points); // every band is written below
        var outL = hasLinear ? GC.AllocateUninitializedArray<float>(points) : [];
        var linearSpan = linear.AsSpan();
        for (var i = 0; i < points; i++)
        {
            var from = edges[i];
            var to = edges[i + 1];
            if (to > from)
            {
                var best = from + Extrema.FirstMaxIndex(levels[from..to]);
                outD[i] = levels[best];
                if (hasLinear)
                {
                    outL[i] = linearSpan[best];
                }
            }
            else
            {
                // A band narrower than the bin spacing: interpolate between the bins around its centre.
                var (left, right, t) = plan.Interpolation[i];
                outD[i] = (float)(levels[left] + (t * (levels[right] - levels[left])));
                if (hasLinear)
                {
                    outL[i] = (float)(linearSpan[left] + (t * (linearSpan[right] - linearSpan[left])));
                }
            }
        }

        Rounding.Decibels(outD);
        Rounding.Significant(outL, 4);
        return (plan.Centres, ImmutableCollectionsMarshal.AsImmutableArray(outD), ImmutableCollectionsMarshal.AsImmutableArray(outL));
    }

    private static double Edge(double fmin, double fmax, int index, int points, bool log) =>
        log ? fmin * Math.Pow(fmax / fmin, (double)index / points) : fmin + ((fmax - fmin) * index / points);

    /// <summary>
    /// The part of a reduction that depends only on the frequency axis and the resolution: the bins in range, each
    /// band's bin range, its rounded centre and, for a band narrower than the bins, the interpolation between its
    /// neighbours; or, when the range holds no more bins than the budget, the rounded frequencies of those bins.
    /// Producers reuse their frequency array from message to message, so a plan is built once (a handful of
    /// <c>Math.Pow</c> per band) and then reused.
    /// </summary>
    private sealed class BandPlan
    {
        // A few axes are live at once (FFT spectrum, spectrogram; several resolutions): a small cache, replaced in turn.
        private static readonly BandPlan?[] Cache = new BandPlan?[8];
        private static int s_next;

        private BandPlan(float[]? axis, int count, SpectrumResolution resolution)
        {
            Axis = axis;
            Count = count;
            Resolution = resolution;
        }

        public float[]? Axis { get; }

        public int Count { get; }

        public SpectrumResolution Resolution { get; }

        /// <summary>First bin in range.</summary>
        public int Lo { get; private init; }

        /// <summary>One past the last bin in range.</summary>
        public int Hi { get; private init; }

        /// <summary>Whether the bins in range are passed through (no more of them than the budget, or an empty range).</summary>
        public bool PassThrough { get; private init; }

        public int Points { get; private init; }

        /// <summary>Band i covers bins Edges[i] to Edges[i + 1] (excluded).</summary>
        public int[] Edges { get; private init; } = [];

        /// <summary>For a band with no bin: the bins around its centre and the weight of the right one.</summary>
        public (int Left, int Right, double Weight)[] Interpolation { get; private init; } = [];

        /// <summary>The rounded band centres, or the rounded frequencies of the bins passed through.</summary>
        public ImmutableArray<float> Centres { get; private init; }

        public static BandPlan For(ImmutableArray<float> frequencies, int n, SpectrumResolution resolution)
        {
            var axis = ImmutableCollectionsMarshal.AsArray(frequencies);
            foreach (var cached in Cache)
            {
                if (cached is not null && ReferenceEquals(cached.Axis, axis) && cached.Count == n && cached.Resolution.Equals(resolution))
                {
                    return cached;
                }
            }

            var plan = Build(frequencies, axis, n, resolution);
            Volatile.Write(ref Cache[(Interlocked.Increment(ref s_next) & int.MaxValue) % Cache.Length], plan);
            return plan;
        }

        private static BandPlan Build(ImmutableArray<float> frequencies, float[]? axis, int n, SpectrumResolution resolution)
        {
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
                var rounded = new float[hi - lo];
                for (var i = 0; i < rounded.Length; i++)
                {
                    rounded[i] = Rounding.Significant(frequencies[lo + i], 4);
                }

                return new BandPlan(axis, n, resolution)
                {
                    Lo = lo,
                    Hi = hi,
                    PassThrough = true,
                    Centres = ImmutableCollectionsMarshal.AsImmutableArray(rounded),
                };
            }

            var points = resolution.Points;
            var log = resolution.Scale == SpectrumScale.Log;
            var edges = new int[points + 1];
            var interpolation = new (int, int, double)[points];
            var centres = new float[points];
            var k = lo;
            var lower = fmin;
            edges[0] = k;
            for (var i = 0; i < points; i++)
            {
                var upper = Edge(fmin, fmax, i + 1, points, log);
                var centre = log ? Math.Sqrt(lower * upper) : 0.5 * (lower + upper);
                var last = i == points - 1;
                var start = k;
                while (k < hi && (last || frequencies[k] < upper))
                {
                    k++;
                }

                edges[i + 1] = k;
                centres[i] = Rounding.Significant((float)centre, 4);
                if (k == start)
                {
                    var r = Math.Min(k, n - 1);
                    var l = Math.Max(r - 1, 0);
                    var span = frequencies[r] - frequencies[l];
                    interpolation[i] = (l, r, span > 0 ? Math.Clamp((centre - frequencies[l]) / span, 0, 1) : 0);
                }

                lower = upper;
            }

            return new BandPlan(axis, n, resolution)
            {
                Lo = lo,
                Hi = hi,
                Points = points,
                Edges = edges,
                Interpolation = interpolation,
                Centres = ImmutableCollectionsMarshal.AsImmutableArray(centres),
            };
        }
    }
}
