using System.Collections.Immutable;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;
using Friture.Streaming.Reduction.Legacy;

namespace Friture.Streaming.Tests.Reduction;

/// <summary>
/// The allocation-free, vectorised reducers give bit for bit what the reducers before them gave
/// (<see cref="LegacyPayloadReducer"/>, tests/Shared/Reduction), for every payload type, on random payloads with the
/// awkward values mixed in (NaN, infinities, signed zeros, ties, values halfway between two roundings, subnormals),
/// empty and odd lengths, lengths not divisible by the budget, budgets larger than the input, reused and fresh
/// arrays (the plan and derived-array caches), and every resolution option and its text forms.
/// </summary>
public sealed class ReductionEquivalenceTests
{
    private static readonly float[] Specials =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.MaxValue, -float.MaxValue, float.Epsilon,
        -float.Epsilon, 1e-40f, 1e-38f, 0.125f, -0.125f, 0.0005f, -61.005f, 0.00001f, 1000f, 999.99994f, 1e-3f, 1e9f,
        BitConverter.Int32BitsToSingle(0x7FC0_1234), // a NaN with a payload
    ];

    public static TheoryData<string> Requests => new()
    {
        "network",
        "full",
        "fft_spectrum.points=2",
        "fft_spectrum.points=7,spectrogram.points=7",
        "fft_spectrum.points=256,spectrogram.points=256",
        "fft_spectrum.points=2000,spectrogram.points=500",
        "fft_spectrum.points=4096,spectrogram.points=511",
        "fft_spectrum.points=65536,spectrogram.points=65536",
        "fft_spectrum.fmin=0,fft_spectrum.scale=linear,spectrogram.fmin=0,spectrogram.scale=linear",
        "fft_spectrum.points=64,fft_spectrum.fmin=100,fft_spectrum.fmax=5000,fft_spectrum.scale=linear",
        "fft_spectrum.fmax=96000,spectrogram.fmax=96000",
        "fft_spectrum.fmin=30000,fft_spectrum.fmax=40000,spectrogram.fmin=30000,spectrogram.fmax=40000",
        "fft_spectrum.fmin=1000.5,fft_spectrum.fmax=1001,spectrogram.fmin=1000,spectrogram.fmax=1010",
        "spectrogram.points=80,spectrogram.fmin=20,spectrogram.fmax=24000&fft_spectrum=full",
        "scope.points=4",
        "scope.points=6",
        "scope.points=66",
        "scope.points=1000",
        "scope.points=2400",
        "scope.points=65536",
        "octave_spectrum.fmin=100,octave_spectrum.fmax=1000",
        "octave_spectrum.fmin=30000,octave_spectrum.fmax=40000",
        "octave_spectrum.fmin=0,octave_spectrum.fmax=10",
        "octave_spectrum=full,scope=full",
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void FftSpectrum_SameBitsAsLegacy(string text)
    {
        var request = Parse(text);
        var random = new Random(Seed(text));
        foreach (var bins in (int[])[4097, 1025, 513, 100, 17, 2, 1, 0])
        {
            var reused = LinearAxis(bins, 24_000);
            for (var message = 0; message < 4; message++)
            {
                // Messages 0 and 1 on one reused axis (the second from the plan cache), 2 and 3 on fresh copies.
                var axis = message < 2 ? reused : [.. reused];
                var db = Values(random, bins, -140, -20, message);
                var linear = message == 3 ? Values(random, bins / 2, 0, 1, message) : Values(random, bins, 0, 1, message);
                var fft = new FftSpectrumData
                {
                    Frequencies = axis,
                    MagnitudesDb = db,
                    MagnitudesLinear = linear,
                    Phases = Values(random, bins, -3, 3, 0),
                    FftSize = 2 * (bins - 1),
                    PeakFrequency = 1000,
                    PeakMagnitude = -6,
                };
                AssertSameReduction(fft, request);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Spectrogram_SameBitsAsLegacy(string text)
    {
        var request = Parse(text);
        var random = new Random(Seed(text) + 1);
        foreach (var bins in (int[])[512, 2049, 81, 80, 79, 3, 1, 0])
        {
            var reused = LogAxis(bins, 20, 24_000);
            for (var message = 0; message < 4; message++)
            {
                var column = new SpectrogramData
                {
                    Frequencies = message < 2 ? reused : [.. reused],
                    MagnitudesDb = Values(random, bins, -140, 0, message),
                    FftSize = 4096,
                    FrequencyScale = "log",
                    MinFrequency = 20,
                    MaxFrequency = 24_000,
                };
                AssertSameReduction(column, request);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Scope_SameBitsAsLegacy(string text)
    {
        var request = Parse(text);
        var random = new Random(Seed(text) + 2);
        foreach (var (frames, channels) in (ReadOnlySpan<(int, int)>)[(2400, 2), (2401, 1), (4800, 8), (129, 2), (65, 1), (64, 2), (63, 2), (67, 3), (5, 1), (0, 2), (2400, 0)])
        {
            var reused = ImmutableArray.CreateRange(Enumerable.Range(0, frames).Select(i => (float)(i / 48_000.0)));
            for (var message = 0; message < 4; message++)
            {
                var samples = new ImmutableArray<float>[channels];
                for (var c = 0; c < channels; c++)
                {
                    // Message 3: channels of unequal lengths (the shortest one counts).
                    samples[c] = Values(random, message == 3 ? Math.Max(0, frames - c) : frames, -1, 1, message);
                }

                var scope = new ScopeData
                {
                    Times = message < 2 ? reused : [.. reused],
                    Samples = [.. samples],
                    ChannelLabels = [.. Enumerable.Range(0, channels).Select(c => $"ch{c}")],
                    WindowSeconds = frames / 48_000.0,
                    Triggered = message == 1,
                };
                AssertSameReduction(scope, request);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void OctaveSpectrum_SameBitsAsLegacy(string text)
    {
        var request = Parse(text);
        var random = new Random(Seed(text) + 3);
        foreach (var bands in (int[])[31, 10, 1, 0])
        {
            var centres = ImmutableArray.CreateRange(Enumerable.Range(0, bands).Select(b => (float)(20 * Math.Pow(2, b / 3.0))));
            var lowers = ImmutableArray.CreateRange(centres.Select(c => c / MathF.Pow(2, 1 / 6f)));
            var uppers = ImmutableArray.CreateRange(centres.Select(c => c * MathF.Pow(2, 1 / 6f)));
            var labels = ImmutableArray.CreateRange(centres.Select(c => $"{c:0}"));
            for (var message = 0; message < 5; message++)
            {
                var octave = new OctaveSpectrumData
                {
                    CenterFrequencies = message < 2 ? centres : [.. centres],
                    LowerFrequencies = message == 3 ? lowers[..(bands / 2)] : lowers,
                    UpperFrequencies = uppers,
                    BandEnergiesDb = message == 4 ? Values(random, bands / 2, -120, 0, message) : Values(random, bands, -120, 0, message),
                    BandLabels = message == 4 ? labels[..(bands / 3)] : labels,
                    BandsPerOctave = 3,
                    OverallLevel = message switch { 2 => double.NaN, 3 => double.NegativeInfinity, _ => (random.NextDouble() * 100) - 90 },
                };
                AssertSameReduction(octave, request);
            }
        }
    }

    [Fact]
    public void OtherPayloads_AreReturnedAsTheyAre()
    {
        var levels = new LevelsData { PeakLevelsDb = [-3f], RmsLevelsDb = [-10f] };
        Assert.Same(levels, PayloadReducer.ReducePayload(levels, ResolutionRequest.NetworkDefault));
        Assert.Same(levels, LegacyPayloadReducer.ReducePayload(levels, ResolutionRequest.NetworkDefault));
    }

    [Fact]
    public void Reduce_CachedPerMessageAndRequest_SameBitsAsLegacy()
    {
        // Through PayloadReducer.Reduce (the per-message cache): two requests on one message, each asked twice.
        var random = new Random(5);
        var fft = new FftSpectrumData
        {
            Frequencies = LinearAxis(4097, 24_000),
            MagnitudesDb = Values(random, 4097, -140, -20, 0),
            MagnitudesLinear = Values(random, 4097, 0, 1, 0),
        };
        var data = new StreamingData(new StreamingMetadata { DataType = DataType.FftSpectrum, Timestamp = DateTimeOffset.UnixEpoch, SequenceNumber = 7 }, fft);
        var other = Parse("fft_spectrum.points=300");
        foreach (var request in (ResolutionRequest[])[ResolutionRequest.NetworkDefault, other, Parse("network"), Parse("fft_spectrum.points=300")])
        {
            var reduced = PayloadReducer.Reduce(data, request);
            Assert.Equal(7, reduced.Metadata.SequenceNumber);
            AssertSamePayload(LegacyPayloadReducer.ReducePayload(fft, request), reduced.Data);
        }

        Assert.Same(PayloadReducer.Reduce(data, other), PayloadReducer.Reduce(data, Parse("fft_spectrum.points=300")));
        Assert.NotSame(PayloadReducer.Reduce(data, other), PayloadReducer.Reduce(data, ResolutionRequest.NetworkDefault));
    }

    [Fact]
    public void Reduce_FromManyThreadsAtOnce_EveryThreadGetsTheSameInstancePerRequest()
    {
        var random = new Random(6);
        var requests = new[] { ResolutionRequest.NetworkDefault, Parse("scope.points=128"), Parse("scope.points=256") };
        for (var message = 0; message < 50; message++)
        {
            var scope = new ScopeData { Times = [.. Enumerable.Range(0, 2400).Select(i => i / 48_000f)], Samples = [Values(random, 2400, -1, 1, 0)] };
            var data = new StreamingData(new StreamingMetadata { DataType = DataType.Scope, Timestamp = DateTimeOffset.UnixEpoch }, scope);
            var results = new StreamingData[24];
            using var start = new Barrier(4);
            var threads = Enumerable.Range(0, 4).Select(thread => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = thread; i < results.Length; i += 4)
                {
                    results[i] = PayloadReducer.Reduce(data, requests[i % requests.Length]);
                }
            })).ToList();
            threads.ForEach(static t => t.Start());
            threads.ForEach(static t => t.Join());

            for (var i = 0; i < results.Length; i++)
            {
                Assert.Same(results[i % requests.Length], results[i]);
            }

            Assert.Equal(requests.Length, results.Distinct().Count());
        }
    }

    private static void AssertSameReduction(StreamingPayload payload, ResolutionRequest request)
    {
        var expected = LegacyPayloadReducer.ReducePayload(payload, request);
        var actual = PayloadReducer.ReducePayload(payload, request);
        Assert.Equal(ReferenceEquals(expected, payload), ReferenceEquals(actual, payload));
        AssertSamePayload(expected, actual);

        // Again: the second call reads the caches the first one filled.
        AssertSamePayload(expected, PayloadReducer.ReducePayload(payload, request));
    }

    internal static void AssertSamePayload(StreamingPayload expected, StreamingPayload actual)
    {
        switch (expected)
        {
            case FftSpectrumData e:
                var a = Assert.IsType<FftSpectrumData>(actual);
                AssertBits(e.Frequencies, a.Frequencies, "frequencies");
                AssertBits(e.MagnitudesDb, a.MagnitudesDb, "magnitudes_db");
                AssertBits(e.MagnitudesLinear, a.MagnitudesLinear, "magnitudes_linear");
                Assert.Equal(e.Phases.HasValue, a.Phases.HasValue);
                if (e.Phases is { } phases)
                {
                    AssertBits(phases, a.Phases!.Value, "phases");
                }

                Assert.Equal(e with { Frequencies = [], MagnitudesDb = [], MagnitudesLinear = [], Phases = null }, a with { Frequencies = [], MagnitudesDb = [], MagnitudesLinear = [], Phases = null });
                break;
            case SpectrogramData e:
                var s = Assert.IsType<SpectrogramData>(actual);
                AssertBits(e.Frequencies, s.Frequencies, "frequencies");
                AssertBits(e.MagnitudesDb, s.MagnitudesDb, "magnitudes_db");
                Assert.Equal(e with { Frequencies = [], MagnitudesDb = [] }, s with { Frequencies = [], MagnitudesDb = [] });
                break;
            case ScopeData e:
                var o = Assert.IsType<ScopeData>(actual);
                AssertBits(e.Times, o.Times, "times");
                Assert.Equal(e.Samples.Length, o.Samples.Length);
                for (var c = 0; c < e.Samples.Length; c++)
                {
                    AssertBits(e.Samples[c], o.Samples[c], $"samples[{c}]");
                }

                Assert.Equal(e.ChannelLabels, o.ChannelLabels);
                Assert.Equal(e with { Times = [], Samples = [], ChannelLabels = [] }, o with { Times = [], Samples = [], ChannelLabels = [] });
                break;
            case OctaveSpectrumData e:
                var b = Assert.IsType<OctaveSpectrumData>(actual);
                AssertBits(e.CenterFrequencies, b.CenterFrequencies, "center_frequencies");
                AssertBits(e.LowerFrequencies, b.LowerFrequencies, "lower_frequencies");
                AssertBits(e.UpperFrequencies, b.UpperFrequencies, "upper_frequencies");
                AssertBits(e.BandEnergiesDb, b.BandEnergiesDb, "band_energies_db");
                Assert.Equal(e.BandLabels, b.BandLabels);
                Assert.Equal(BitConverter.DoubleToInt64Bits(e.OverallLevel), BitConverter.DoubleToInt64Bits(b.OverallLevel));
                var empty = ImmutableArray<float>.Empty;
                Assert.Equal(
                    e with { CenterFrequencies = empty, LowerFrequencies = empty, UpperFrequencies = empty, BandEnergiesDb = empty, BandLabels = [] },
                    b with { CenterFrequencies = empty, LowerFrequencies = empty, UpperFrequencies = empty, BandEnergiesDb = empty, BandLabels = [] });
                break;
            default:
                Assert.Same(expected, actual);
                break;
        }
    }

    internal static void AssertBits(ImmutableArray<float> expected, ImmutableArray<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(actual[i]));
            Assert.True(e == a, $"{what}[{i}]: {actual[i]:R} (0x{a:X8}), expected {expected[i]:R} (0x{e:X8})");
        }
    }

    // A seed that is the same in every run (string.GetHashCode is not).
    private static int Seed(string text) => text.Aggregate(17, static (hash, c) => unchecked((hash * 31) + c));

    private static ResolutionRequest Parse(string text)
    {
        Assert.True(ResolutionParser.TryParseText(text, out var request, out var error), error);
        return request;
    }

    internal static ImmutableArray<float> LinearAxis(int bins, double top) =>
        ImmutableArray.CreateRange(Enumerable.Range(0, bins).Select(i => (float)(bins == 1 ? 0 : i * top / (bins - 1))));

    internal static ImmutableArray<float> LogAxis(int bins, double low, double high) =>
        ImmutableArray.CreateRange(Enumerable.Range(0, bins).Select(i => (float)(low * Math.Pow(high / low, (i + 0.5) / bins))));

    // Random values in [low, high); message 0 plain, 1 with ties (values on a 1/4 grid), 2 and up with specials
    // (about 1 in 20 values) and ties.
    internal static ImmutableArray<float> Values(Random random, int count, double low, double high, int message)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            var value = (float)(low + (random.NextDouble() * (high - low)));
            if (message >= 1 && random.Next(3) == 0)
            {
                value = MathF.Round(value * 4) / 4;
            }

            if (message >= 2 && random.Next(20) == 0)
            {
                value = Specials[random.Next(Specials.Length)];
            }

            values[i] = value;
        }

        return [.. values];
    }
}
