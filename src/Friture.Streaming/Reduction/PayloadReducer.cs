using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Friture.Streaming.Data;

namespace Friture.Streaming.Reduction;

/// <summary>
/// Reduces a message to the resolution a subscriber asked for (<see cref="ResolutionRequest"/>), once per message and
/// distinct request: the reduced message is kept with the original for as long as the original lives, so every client
/// (of any protocol) with an equal request gets the same reduced instance.
/// </summary>
/// <remarks>
/// Thread-safe. Runs on delivery threads, never on the audio thread. Messages of other data types, and requests that
/// leave a type at full resolution, come back as the same instance. The metadata (sequence number included) is kept.
/// </remarks>
public static class PayloadReducer
{
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

        var cache = data.Reductions(static () => new Cache());
        lock (cache)
        {
            if (cache.Find(request) is { } found)
            {
                return found;
            }
        }

        var reduced = new StreamingData(data.Metadata, ReducePayload(data.Data, request));
        lock (cache)
        {
            return cache.Find(request) ?? cache.Add(request, reduced);
        }
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
                var (f, d, l) = BandMaxima.Reduce(fft.Frequencies, fft.MagnitudesDb, fft.MagnitudesLinear, r);
                return fft with { Frequencies = f, MagnitudesDb = d, MagnitudesLinear = l, Phases = null };
            case SpectrogramData column when request.Spectrogram is { } r:
                var (cf, cd, _) = BandMaxima.Reduce(column.Frequencies, column.MagnitudesDb, [], r);
                return column with { Frequencies = cf, MagnitudesDb = cd };
            case ScopeData scope when request.Scope is { } r:
                return ReduceScope(scope, r.Points);
            case OctaveSpectrumData octave when request.OctaveSpectrum is { } r:
                return CropOctave(octave, r);
            default:
                return payload;
        }
    }

    private static bool Applies(StreamingPayload payload, ResolutionRequest request) => payload switch
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

        // Span b covers samples b * length / spans to (b + 1) * length / spans (excluded); length > points, so every
        // span has at least 2 samples.
        var spans = points / 2;
        var channels = new ImmutableArray<float>[scope.Samples.Length];
        for (var c = 0; c < channels.Length; c++)
        {
            var channel = scope.Samples[c].AsSpan();
            var output = GC.AllocateUninitializedArray<float>(points); // every pair is written
            var start = 0;
            for (var b = 0; b < spans; b++)
            {
                var end = (int)((long)(b + 1) * length / spans);
                var (min, max) = Extrema.FirstMinMaxIndices(channel[start..end]);
                output[2 * b] = channel[start + Math.Min(min, max)];
                output[(2 * b) + 1] = channel[start + Math.Max(min, max)];
                start = end;
            }

            Rounding.Step(output, 1e3);
            channels[c] = ImmutableCollectionsMarshal.AsImmutableArray(output);
        }

        return scope with
        {
            Times = ScopeTimes.Get(scope.Times, length, spans),
            Samples = ImmutableCollectionsMarshal.AsImmutableArray(channels),
            Reduced = true,
        };
    }

    private static OctaveSpectrumData CropOctave(OctaveSpectrumData octave, OctaveResolution resolution)
    {
        var (first, end, centres) = OctaveCrop.Get(octave.CenterFrequencies, resolution);
        return octave with
        {
            CenterFrequencies = centres,
            LowerFrequencies = RoundedBands.Get(octave.LowerFrequencies, first, end),
            UpperFrequencies = RoundedBands.Get(octave.UpperFrequencies, first, end),
            BandEnergiesDb = RoundDecibels(octave.BandEnergiesDb, first, end),
            BandLabels = octave.BandLabels.Length >= end ? BandLabelSlices.Get(octave.BandLabels, first, end) : octave.BandLabels,
            OverallLevel = Rounding.Decibels((float)octave.OverallLevel),
        };
    }

    private static ImmutableArray<float> RoundDecibels(ImmutableArray<float> array, int first, int end)
    {
        if (array.Length < end)
        {
            return array;
        }

        var output = GC.AllocateUninitializedArray<float>(end - first);
        array.AsSpan()[first..end].CopyTo(output);
        Rounding.Decibels(output);
        return ImmutableCollectionsMarshal.AsImmutableArray(output);
    }

    // Frequencies rounded to 4 significant digits (the array itself when shorter than end, unrounded, as for levels).
    private static ImmutableArray<float> RoundFrequencies(ImmutableArray<float> array, int first, int end)
    {
        if (array.Length < end)
        {
            return array;
        }

        var output = GC.AllocateUninitializedArray<float>(end - first);
        array.AsSpan()[first..end].CopyTo(output);
        Rounding.Significant(output, 4);
        return ImmutableCollectionsMarshal.AsImmutableArray(output);
    }

    /// <summary>
    /// The first reduction's data per message: most messages have one distinct request (the network default), a few
    /// more; the list is made only for a second one.
    /// </summary>
    private sealed class Cache
    {
        private ResolutionRequest? _firstKey;
        private StreamingData? _firstValue;
        private List<(ResolutionRequest Key, StreamingData Value)>? _more;

        public StreamingData? Find(ResolutionRequest request)
        {
            if (_firstKey is null)
            {
                return null;
            }

            if (_firstKey.Equals(request))
            {
                return _firstValue;
            }

            if (_more is not null)
            {
                foreach (var (key, value) in _more)
                {
                    if (key.Equals(request))
                    {
                        return value;
                    }
                }
            }

            return null;
        }

        public StreamingData Add(ResolutionRequest request, StreamingData reduced)
        {
            if (_firstKey is null)
            {
                (_firstKey, _firstValue) = (request, reduced);
            }
            else
            {
                (_more ??= new(2)).Add((request, reduced));
            }

            return reduced;
        }
    }

    /// <summary>
    /// A small cache of arrays derived from a producer's reused array (scope times, octave band edges and labels):
    /// producers send the same array with every message, so the derived array is computed once and shared by the
    /// reduced messages (immutable, like the source). Keyed by the source array's identity and two integers; a source
    /// that cannot be identified (a default array) is computed every time.
    /// </summary>
    private sealed class DerivedArrays<T>(Func<ImmutableArray<T>, int, int, ImmutableArray<T>> derive)
    {
        private readonly Entry?[] _entries = new Entry?[8];
        private int _next;

        public ImmutableArray<T> Get(ImmutableArray<T> source, int a, int b)
        {
            var array = ImmutableCollectionsMarshal.AsArray(source);
            foreach (var entry in _entries)
            {
                if (entry is not null && ReferenceEquals(entry.Source, array) && entry.A == a && entry.B == b)
                {
                    return entry.Value;
                }
            }

            var value = derive(source, a, b);
            if (array is not null)
            {
                Volatile.Write(ref _entries[(Interlocked.Increment(ref _next) & int.MaxValue) % _entries.Length], new Entry(array, a, b, value));
            }

            return value;
        }

        private sealed record Entry(T[] Source, int A, int B, ImmutableArray<T> Value);
    }

    /// <summary>The reduced scope times for a times array, a length and a number of spans.</summary>
    private static class ScopeTimes
    {
        private static readonly DerivedArrays<float> Cache = new(static (times, length, spans) =>
        {
            var output = GC.AllocateUninitializedArray<float>(2 * spans); // every pair is written
            var start = 0;
            for (var b = 0; b < spans; b++)
            {
                var end = (int)((long)(b + 1) * length / spans);
                output[2 * b] = times[start];
                output[(2 * b) + 1] = times[end - 1];
                start = end;
            }

            Rounding.Step(output, 1e5);
            return ImmutableCollectionsMarshal.AsImmutableArray(output);
        });

        public static ImmutableArray<float> Get(ImmutableArray<float> times, int length, int spans) => Cache.Get(times, length, spans);
    }

    /// <summary>Octave band frequencies rounded to 4 significant digits, for a band range.</summary>
    private static class RoundedBands
    {
        private static readonly DerivedArrays<float> Cache = new(RoundFrequencies);

        public static ImmutableArray<float> Get(ImmutableArray<float> frequencies, int first, int end) => Cache.Get(frequencies, first, end);
    }

    /// <summary>Octave band labels for a band range.</summary>
    private static class BandLabelSlices
    {
        private static readonly DerivedArrays<string> Cache = new(static (labels, first, end) => labels[first..end]);

        public static ImmutableArray<string> Get(ImmutableArray<string> labels, int first, int end) => Cache.Get(labels, first, end);
    }

    /// <summary>The bands an octave resolution keeps (centres between its limits) and their rounded centres, per centres array.</summary>
    private static class OctaveCrop
    {
        private static readonly Entry?[] Entries = new Entry?[8];
        private static int s_next;

        public static (int First, int End, ImmutableArray<float> Rounded) Get(ImmutableArray<float> centres, OctaveResolution resolution)
        {
            var array = ImmutableCollectionsMarshal.AsArray(centres);
            foreach (var entry in Entries)
            {
                if (entry is not null && ReferenceEquals(entry.Centres, array) && entry.Resolution.Equals(resolution))
                {
                    return (entry.First, entry.End, entry.Rounded);
                }
            }

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

            var rounded = RoundFrequencies(centres, first, end);
            if (array is not null)
            {
                Volatile.Write(ref Entries[(Interlocked.Increment(ref s_next) & int.MaxValue) % Entries.Length], new Entry(array, resolution, first, end, rounded));
            }

            return (first, end, rounded);
        }

        private sealed record Entry(float[] Centres, OctaveResolution Resolution, int First, int End, ImmutableArray<float> Rounded);
    }
}
