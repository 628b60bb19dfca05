using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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

        var spans = points / 2;
        var times = new float[points];
        for (var b = 0; b < spans; b++)
        {
            var start = (int)((long)b * length / spans);
            var end = (int)((long)(b + 1) * length / spans);
            times[2 * b] = Rounding.Step(scope.Times[start], 1e5);
            times[(2 * b) + 1] = Rounding.Step(scope.Times[end - 1], 1e5);
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
                output[2 * b] = Rounding.Step(channel[first], 1e3);
                output[(2 * b) + 1] = Rounding.Step(channel[second], 1e3);
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
            OverallLevel = Rounding.Decibels((float)octave.OverallLevel),
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
            output[i - first] = decibels ? Rounding.Decibels(array[i]) : Rounding.Significant(array[i], 4);
        }

        return ImmutableArray.Create(output);
    }

    private sealed class Cache
    {
        public List<(ResolutionRequest Key, StreamingData Value)> Entries { get; } = new(2);
    }
}
