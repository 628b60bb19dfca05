using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;

namespace Friture.Streaming.Reduction.Legacy;

// The reducers as they were before the allocation-free, vectorised rewrite (2026-12-02, commit ef02a27), copied
// unchanged but for the class names: the bit-identity reference of the tests (ReductionEquivalenceTests) and the
// baseline of the benchmark (ReductionBenchmarks). Not to be edited.

/// <summary>PayloadReducer as it was: Reduce (the per-message cache in a ConditionalWeakTable) and ReducePayload.</summary>
internal static class LegacyPayloadReducer
{
    private static readonly ConditionalWeakTable<StreamingData, Cache> Reduced = [];

    /// <summary>Returns <paramref name="data"/> at the requested resolution.</summary>
    /// <param name="data">The message as produced.</param>
    /// <param name="request">The subscriber's request.</param>
    /// <returns>The reduced message, or <paramref name="data"/> itself when there is nothing to reduce.</returns>
    public static StreamingData Reduce(StreamingData data, ResolutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(request);
        if (!Applies(data.Data, request))
        {
            return data;
        }

        var cache = Reduced.GetValue(data, static _ => new Cache());
        lock (cache)
        {
            foreach (var (key, value) in cache.Entries)
            {
                if (key.Equals(request))
                {
                    return value;
                }
            }
        }

        var reduced = new StreamingData(data.Metadata, ReducePayload(data.Data, request));
        lock (cache)
        {
            foreach (var (key, value) in cache.Entries)
            {
                if (key.Equals(request))
                {
                    return value;
                }
            }

            cache.Entries.Add((request, reduced));
        }

        return reduced;
    }

    /// <summary>Reduces one payload (no caching).</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="request">The request.</param>
    /// <returns>The reduced payload, or <paramref name="payload"/> when there is nothing to reduce.</returns>
    public static StreamingPayload ReducePayload(StreamingPayload payload, ResolutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(request);
        switch (payload)
        {
            case FftSpectrumData fft when request.FftSpectrum is { } r:
                var (f, d, l) = LegacyBandMaxima.Reduce(fft.Frequencies, fft.MagnitudesDb, fft.MagnitudesLinear, r);
                return fft with { Frequencies = f, MagnitudesDb = d, MagnitudesLinear = l, Phases = null };
            case SpectrogramData column when request.Spectrogram is { } r:
                var (cf, cd, _) = LegacyBandMaxima.Reduce(column.Frequencies, column.MagnitudesDb, [], r);
                return column with { Frequencies = cf, MagnitudesDb = cd };
            case ScopeData scope when request.Scope is { } r:
                return ReduceScope(scope, r.Points);
            case OctaveSpectrumData octave when request.OctaveSpectrum is { } r:
                return CropOctave(octave, r);
            default:
                return payload;
        }
    }

    public static bool Applies(StreamingPayload payload, ResolutionRequest request) => payload switch
    {
        FftSpectrumData => request.FftSpectrum is not null,
        SpectrogramData => request.Spectrogram is not null,
        ScopeData => request.Scope is not null,
        OctaveSpectrumData => request.OctaveSpectrum is not null,
        _ => false,
    };

    private static ScopeData ReduceScope(ScopeData scope, int points)
    {
        var length = scope.Times.Length;
        foreach (var channel in scope.Samples)
        {
            length = Math.Min(length, channel.Length);
        }

        if (length <= points)
        {
            return scope;
        }

        var spans = points / 2;
        var times = new float[points];
        for (var b = 0; b < spans; b++)
        {
            var start = (int)((long)b * length / spans);
            var end = (int)((long)(b + 1) * length / spans);
            times[2 * b] = LegacyRounding.Step(scope.Times[start], 1e5);
            times[(2 * b) + 1] = LegacyRounding.Step(scope.Times[end - 1], 1e5);
        }

        var samples = ImmutableArray.CreateBuilder<ImmutableArray<float>>(scope.Samples.Length);
        foreach (var channel in scope.Samples)
        {
            var output = new float[points];
            for (var b = 0; b < spans; b++)
            {
                var start = (int)((long)b * length / spans);
                var end = (int)((long)(b + 1) * length / spans);
                var min = start;
                var max = start;
                for (var i = start + 1; i < end; i++)
                {
                    if (channel[i] < channel[min])
                    {
                        min = i;
                    }

                    if (channel[i] > channel[max])
                    {
                        max = i;
                    }
                }

                var (first, second) = min <= max ? (min, max) : (max, min);
                output[2 * b] = LegacyRounding.Step(channel[first], 1e3);
                output[(2 * b) + 1] = LegacyRounding.Step(channel[second], 1e3);
            }

            samples.Add(ImmutableArray.Create(output));
        }

        return scope with { Times = ImmutableArray.Create(times), Samples = samples.MoveToImmutable(), Reduced = true };
    }

    private static OctaveSpectrumData CropOctave(OctaveSpectrumData octave, OctaveResolution resolution)
    {
        var centres = octave.CenterFrequencies;
        var first = 0;
        while (first < centres.Length && centres[first] < resolution.MinFrequencyHz)
        {
            first++;
        }

        var end = first;
        while (end < centres.Length && centres[end] <= resolution.MaxFrequencyHz)
        {
            end++;
        }

        return octave with
        {
            CenterFrequencies = Round(centres, first, end, decibels: false),
            LowerFrequencies = Round(octave.LowerFrequencies, first, end, decibels: false),
            UpperFrequencies = Round(octave.UpperFrequencies, first, end, decibels: false),
            BandEnergiesDb = Round(octave.BandEnergiesDb, first, end, decibels: true),
            BandLabels = octave.BandLabels.Length >= end ? octave.BandLabels[first..end] : octave.BandLabels,
            OverallLevel = LegacyRounding.Decibels((float)octave.OverallLevel),
        };
    }

    private static ImmutableArray<float> Round(ImmutableArray<float> array, int first, int end, bool decibels)
    {
        if (array.Length < end)
        {
            return array;
        }

        var output = new float[end - first];
        for (var i = first; i < end; i++)
        {
            output[i - first] = decibels ? LegacyRounding.Decibels(array[i]) : LegacyRounding.Significant(array[i], 4);
        }

        return ImmutableArray.Create(output);
    }

    private sealed class Cache
    {
        public List<(ResolutionRequest Key, StreamingData Value)> Entries { get; } = new(2);
    }
}

/// <summary>Gathers the bins of a spectrum (any ascending frequency axis) into a budget of bands, keeping each band's maximum.</summary>
internal static class LegacyBandMaxima
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
                f[i] = LegacyRounding.Significant(frequencies[lo + i], 4);
                d[i] = LegacyRounding.Decibels(levelsDb[lo + i]);
                if (hasLinear)
                {
                    l[i] = LegacyRounding.Significant(linear[lo + i], 4);
                }
            }

            return (ImmutableArray.Create(f), ImmutableArray.Create(d), ImmutableArray.Create(l));
        }

        var plan = BandPlan.For(frequencies, n, lo, hi, fmin, fmax, resolution);
        var points = plan.Points;
        var outD = new float[points];
        var outL = hasLinear ? new float[points] : [];
        var levels = levelsDb.AsSpan();
        for (var i = 0; i < points; i++)
        {
            var from = plan.Start[i];
            var to = plan.End[i];
            if (to > from)
            {
                var best = from;
                var max = levels[from];
                for (var k = from + 1; k < to; k++)
                {
                    if (levels[k] > max)
                    {
                        max = levels[k];
                        best = k;
                    }
                }

                outD[i] = LegacyRounding.Decibels(max);
                if (hasLinear)
                {
                    outL[i] = LegacyRounding.Significant(linear[best], 4);
                }
            }
            else
            {
                // A band narrower than the bin spacing: interpolate between the bins around its centre.
                var left = plan.Left[i];
                var right = plan.Right[i];
                var t = plan.Weight[i];
                outD[i] = LegacyRounding.Decibels((float)(levels[left] + (t * (levels[right] - levels[left]))));
                if (hasLinear)
                {
                    outL[i] = LegacyRounding.Significant((float)(linear[left] + (t * (linear[right] - linear[left]))), 4);
                }
            }
        }

        return (plan.Centres, ImmutableArray.Create(outD), ImmutableArray.Create(outL));
    }

    private static double Edge(double fmin, double fmax, int index, int points, bool log) =>
        log ? fmin * Math.Pow(fmax / fmin, (double)index / points) : fmin + ((fmax - fmin) * index / points);

    /// <summary>
    /// The part of a reduction that depends only on the frequency axis and the resolution: each band's bin range, its
    /// rounded centre and, for a band narrower than the bins, the interpolation between its neighbours. Producers reuse
    /// their frequency array from message to message, so a plan is built once (a handful of <c>Math.Pow</c> and
    /// <c>Math.Log10</c> per band) and then reused: reducing a 4,097-bin spectrum is then one pass of comparisons.
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

        public int Points { get; private init; }

        public int[] Start { get; private init; } = [];

        public int[] End { get; private init; } = [];

        public int[] Left { get; private init; } = [];

        public int[] Right { get; private init; } = [];

        public double[] Weight { get; private init; } = [];

        public ImmutableArray<float> Centres { get; private init; }

        public static BandPlan For(ImmutableArray<float> frequencies, int n, int lo, int hi, double fmin, double fmax, SpectrumResolution resolution)
        {
            var axis = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(frequencies);
            foreach (var cached in Cache)
            {
                if (cached is not null && ReferenceEquals(cached.Axis, axis) && cached.Count == n && cached.Resolution.Equals(resolution))
                {
                    return cached;
                }
            }

            var plan = Build(frequencies, axis, n, lo, hi, fmin, fmax, resolution);
            Volatile.Write(ref Cache[(Interlocked.Increment(ref s_next) & int.MaxValue) % Cache.Length], plan);
            return plan;
        }

        private static BandPlan Build(ImmutableArray<float> frequencies, float[]? axis, int n, int lo, int hi, double fmin, double fmax, SpectrumResolution resolution)
        {
            var points = resolution.Points;
            var log = resolution.Scale == SpectrumScale.Log;
            var start = new int[points];
            var end = new int[points];
            var left = new int[points];
            var right = new int[points];
            var weight = new double[points];
            var centres = new float[points];
            var k = lo;
            var lower = fmin;
            for (var i = 0; i < points; i++)
            {
                var upper = Edge(fmin, fmax, i + 1, points, log);
                var centre = log ? Math.Sqrt(lower * upper) : 0.5 * (lower + upper);
                var last = i == points - 1;
                start[i] = k;
                while (k < hi && (last || frequencies[k] < upper))
                {
                    k++;
                }

                end[i] = k;
                centres[i] = LegacyRounding.Significant((float)centre, 4);
                if (end[i] == start[i])
                {
                    var r = Math.Min(k, n - 1);
                    var l = Math.Max(r - 1, 0);
                    var span = frequencies[r] - frequencies[l];
                    left[i] = l;
                    right[i] = r;
                    weight[i] = span > 0 ? Math.Clamp((centre - frequencies[l]) / span, 0, 1) : 0;
                }

                lower = upper;
            }

            // Not cached when the axis cannot be identified (a default array); a plan for it is still correct.
            return new BandPlan(axis, n, resolution)
            {
                Points = points,
                Start = start,
                End = end,
                Left = left,
                Right = right,
                Weight = weight,
                Centres = ImmutableArray.Create(centres),
            };
        }
    }
}

/// <summary>
/// Rounds reduced values to what a display can use, to float32 values whose shortest text is short
/// (<c>-61.59</c> instead of <c>-61.590782</c>).
/// </summary>
internal static class LegacyRounding
{
    /// <summary>To <paramref name="digits"/> significant digits.</summary>
    public static float Significant(float value, int digits)
    {
        if (value == 0 || !float.IsFinite(value))
        {
            return value;
        }

        var magnitude = Math.Floor(Math.Log10(Math.Abs(value)));
        var scale = Math.Pow(10, digits - 1 - magnitude);
        return (float)(Math.Round(value * scale) / scale);
    }

    /// <summary>To 0.01 dB.</summary>
    public static float Decibels(float value) => (float)(Math.Round(value * 100.0) / 100.0);

    /// <summary>To a fixed step given as its inverse (1e3 for samples, 1e5 for times in seconds).</summary>
    public static float Step(float value, double inverseStep) => (float)(Math.Round(value * inverseStep) / inverseStep);
}
