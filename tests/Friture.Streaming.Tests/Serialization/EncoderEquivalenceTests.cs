using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Serialization.Legacy;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Serialization;

/// <summary>
/// The fast JSON writers and the direct binary encoder against the encoders they replace (kept in
/// tests/Shared/Serialization as <see cref="LegacyEncoding"/> and <see cref="LegacyBinaryFrame"/>): byte-identical output
/// for real messages of every built-in data type, at full resolution and at the network defaults, and for the shapes
/// the analyzers do not produce (phases, ragged and empty rows, nulls, custom metadata, a registered custom type).
/// </summary>
public sealed partial class EncoderEquivalenceTests
{
    [Fact]
    public async Task RealMessagesOfEveryType_FullAndNetworkResolution_JsonAndBinaryByteIdentical()
    {
        var messages = await RealMessagesAsync();

        Assert.Equal(DataType.BuiltIn.Count, messages.Select(m => m.DataType).Distinct().Count());
        var compared = 0;
        foreach (var full in messages)
        {
            foreach (var data in new[] { full, PayloadReducer.Reduce(full, ResolutionRequest.NetworkDefault) })
            {
                AssertSameBytes(data);
                compared++;
            }
        }

        Assert.True(compared >= 2 * 3 * DataType.BuiltIn.Count, $"{compared} messages compared");
    }

    [Fact]
    public void ShapesTheAnalyzersDoNotProduce_ByteIdentical()
    {
        var custom = ImmutableDictionary<string, string>.Empty.Add("room", "Stüdio <A&B> \"1\"").Add("é\n", "x");
        var messages = new List<StreamingData>
        {
            Message(DataType.FftSpectrum, new FftSpectrumData
            {
                Frequencies = [0f, 11.71875f, 23.4375f], MagnitudesLinear = [1e-7f, 3.5e-12f, 0.25f], MagnitudesDb = [-140f, -0f, 1e-5f],
                Phases = [0f, -3.1415927f, 1.5707964f], FftSize = 4, OverlapFactor = 0.75, ResponseTime = 0.025, PeakFrequency = 23.4375, PeakMagnitude = -12.041199826559248,
            }, custom),
            Message(DataType.FftSpectrum, new FftSpectrumData { Phases = null, PeakFrequency = null }),
            Message(DataType.Scope, new ScopeData { Times = [0f, 1e-5f], Samples = [[0.5f, -0.25f], [1f]], ChannelLabels = ["ch1", "ch2"] }),
            Message(DataType.Scope, new ScopeData { Times = [], Samples = [] }),
            Message(DataType.Scope, new ScopeData { Times = [0f], Samples = [[], []], Triggered = true }),
            Message(DataType.Scope, new ScopeData { Times = [0f, 2f], Samples = [[0.001f, -0.999f]], Reduced = true }),
            Message(DataType.Loudness, new LoudnessData { MomentaryLufs = -23.000000953674316, TruePeakDbtpPerChannel = [-1.5f, null], SamplePeakDbfsPerChannel = [-2f, -3.25f], DurationSeconds = 12.5 }),
            Message(DataType.Loudness, new LoudnessData { TruePeakDbtpPerChannel = [], SamplePeakDbfsPerChannel = [null] }),
            Message(DataType.OctaveSpectrum, new OctaveSpectrumData { CenterFrequencies = [1000f], LowerFrequencies = [891.2509f], UpperFrequencies = [1122.0184f], BandEnergiesDb = [-3.01f], BandLabels = ["1k"], BandsPerOctave = 3, OverallLevel = -3.0103 }),
            Message(DataType.Levels, new LevelsData { PeakLevelsDb = [-200f, 0f], RmsLevelsDb = [-203.5f, 3.0103f], ChannelLabels = ["L", "R"], IntegrationTime = 0.125 }),
            Message(DataType.PitchTracker, new PitchData { FrequencyHz = 440.12345678, Confidence = 0.97, NoteName = "A4", CentsOffset = 0.47, AmplitudeDb = -9.02925f }),
            Message(DataType.DelayEstimator, new DelayEstimatorData { DelayMs = null, Confidence = 0.1, Polarity = Polarity.Reversed, InactiveReason = "no signal" }),
            Message(DataType.Spectrogram, new SpectrogramData { Frequencies = [20f, 20000f], MagnitudesDb = [-61.590782f, float.Epsilon], FrequencyScale = "log" }),
        };

        foreach (var data in messages)
        {
            AssertSameBytes(data);
        }
    }

    [Fact]
    public void EdgeCasePayloadsOfEveryBuiltInType_ByteIdentical()
    {
        // Nulls in every nullable field, empty arrays, -0, subnormals, float and double extremes, doubles that are not
        // floats, strings that need escaping or are null, every polarity (and one outside the enum).
        const string Escaped = "Stüdio <A&B> \"1\"\n\t\u0001 €";
        var extremes = new[] { 0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-300, 2.2250738585072014E-308, double.MaxValue, double.MinValue, 1e300, (double)float.Epsilon, (double)float.MaxValue, 1e-5, 9.999999999999999e-5, 1e-4, 8_589_934_592.0, 123_456_789.123, 1.0 / 3, 0.1f, -440.12345678 };
        var floats = ImmutableArray.Create(0f, -0f, float.Epsilon, -float.Epsilon, 1.1754942E-38f, float.MaxValue, float.MinValue, 1e-5f, 5.988E-08f, 9.9999997E-05f, 1e-4f, 16_777_216f, 1e9f, 1e15f, 1f / 3, -3.1415927f);
        var messages = new List<StreamingData>
        {
            Message(DataType.PitchTracker, new PitchData()),
            Message(DataType.PitchTracker, new PitchData { FrequencyHz = null, NoteName = null, CentsOffset = null, Confidence = -0.0, AmplitudeDb = -200, HarmonicClarity = double.Epsilon, ReferenceA4Hz = 432 }),
            Message(DataType.PitchTracker, new PitchData { FrequencyHz = 1e300, NoteName = Escaped, CentsOffset = -0.0, Confidence = 1.0 / 3, AmplitudeDb = double.MaxValue, HarmonicClarity = 5.988E-08f }),
            Message(DataType.FftSpectrum, new FftSpectrumData()),
            Message(DataType.FftSpectrum, new FftSpectrumData { Frequencies = floats, MagnitudesLinear = floats, MagnitudesDb = [], Phases = [], WindowType = null!, Weighting = Escaped, FftSize = int.MinValue, PeakFrequency = double.MinValue, PeakMagnitude = null }),
            Message(DataType.OctaveSpectrum, new OctaveSpectrumData()),
            Message(DataType.OctaveSpectrum, new OctaveSpectrumData { CenterFrequencies = floats, BandLabels = ["1k", null!, Escaped, ""], BandsPerOctave = int.MaxValue, Weighting = null!, ResponseTime = 1e-300, OverallLevel = -0.0 }),
            Message(DataType.Spectrogram, new SpectrogramData()),
            Message(DataType.Spectrogram, new SpectrogramData { Frequencies = floats, MagnitudesDb = floats, FrequencyScale = null!, MinFrequency = double.Epsilon, MaxFrequency = 8_589_934_592.0, OverlapFactor = 0.875, FftSize = -1 }),
            Message(DataType.Levels, new LevelsData()),
            Message(DataType.Levels, new LevelsData { PeakLevelsDb = floats, RmsLevelsDb = floats, PeakHoldLevelsDb = [-0f], LeqLevelsDb = [float.Epsilon], MaxLevelsDb = [], ChannelLabels = [Escaped, null!], Weighting = null!, IntegrationTime = -0.0, PeakHoldTime = 1e-5 }),
            Message(DataType.DelayEstimator, new DelayEstimatorData()),
            Message(DataType.DelayEstimator, new DelayEstimatorData { DelayMs = -0.0, DelaySamples = 1e300, Confidence = double.Epsilon, CorrelationPeak = -1, Polarity = Polarity.InPhase, DistanceM = 0.3430000066757202, InactiveReason = Escaped }),
            Message(DataType.DelayEstimator, new DelayEstimatorData { Polarity = Polarity.Reversed, InactiveReason = "" }),
            Message(DataType.DelayEstimator, new DelayEstimatorData { Polarity = (Polarity)7 }),
            Message(DataType.Scope, new ScopeData()),
            Message(DataType.Scope, new ScopeData { Times = floats, Samples = [floats, [], [-0f]], ChannelLabels = [null!], WindowSeconds = double.MaxValue, Triggered = true, Reduced = true }),
            Message(DataType.Scope, new ScopeData { Times = floats, Samples = [floats, floats], ChannelLabels = ["a", "b"] }),
            Message(DataType.Loudness, new LoudnessData()),
            Message(DataType.Loudness, new LoudnessData { MomentaryLufs = -0.0, ShortTermLufs = double.Epsilon, IntegratedLufs = 1e300, LoudnessRangeLu = double.MinValue, TruePeakDbtp = 5.988E-08f, SamplePeakDbfs = 1.0 / 3, MaxMomentaryLufs = 1e-5, MaxShortTermLufs = -23, DurationSeconds = 8_589_934_592.0, TruePeakDbtpPerChannel = [null, -0f, float.Epsilon, float.MaxValue], SamplePeakDbfsPerChannel = [null, null] }),
        };

        foreach (var value in extremes)
        {
            messages.Add(Message(DataType.PitchTracker, new PitchData { FrequencyHz = value, Confidence = value, CentsOffset = -value, AmplitudeDb = value, HarmonicClarity = -value, ReferenceA4Hz = value }));
            messages.Add(Message(DataType.Loudness, new LoudnessData { MomentaryLufs = value, IntegratedLufs = -value, DurationSeconds = value }));
        }

        foreach (var data in messages)
        {
            AssertSameBytes(data, exactRoundTrip: false);
        }

        // Metadata edge cases: timestamps with and without a fraction, other offsets, a missing producer id, huge numbers.
        foreach (var timestamp in new[]
        {
            DateTimeOffset.UnixEpoch, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2026, 12, 2, 23, 59, 59, TimeSpan.FromMinutes(-570)),
            new DateTimeOffset(638_000_000_000_000_001, TimeSpan.FromHours(14)), new DateTimeOffset(638_000_000_000_100_000, TimeSpan.FromMinutes(-1)),
        })
        {
            AssertSameBytes(new StreamingData(
                new StreamingMetadata { DataType = DataType.Levels, Timestamp = timestamp, StreamTime = -0.0, SampleRate = int.MaxValue, Channels = -1, SequenceNumber = long.MinValue, ProducerId = null!, Custom = ImmutableDictionary<string, string>.Empty },
                new LevelsData { PeakLevelsDb = [-1f] }), exactRoundTrip: false);
        }
    }

    [Fact]
    public void EdgeCaseFailures_SameExceptionAsTheOldEncoder()
    {
        // NaN and infinities (JSON has no such numbers) in every kind of field, default (uninitialized) arrays.
        var messages = new List<StreamingData>();
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var single = (float)bad;
            messages.Add(Message(DataType.PitchTracker, new PitchData { Confidence = bad }));
            messages.Add(Message(DataType.PitchTracker, new PitchData { FrequencyHz = bad }));
            messages.Add(Message(DataType.Loudness, new LoudnessData { MaxShortTermLufs = bad }));
            messages.Add(Message(DataType.Loudness, new LoudnessData { TruePeakDbtpPerChannel = [-1f, single] }));
            messages.Add(Message(DataType.Scope, new ScopeData { Times = [0f, 1f], Samples = [[0f, single]] }));
            messages.Add(Message(DataType.Scope, new ScopeData { Times = [0f, single], Samples = [[0f, 1f]] }));
            messages.Add(Message(DataType.FftSpectrum, new FftSpectrumData { Phases = [single] }));
            messages.Add(Message(DataType.Spectrogram, new SpectrogramData { MaxFrequency = bad }));
            messages.Add(new StreamingData(new StreamingMetadata { DataType = DataType.Levels, Timestamp = DateTimeOffset.UnixEpoch, StreamTime = bad }, new LevelsData()));
        }

        messages.Add(Message(DataType.Levels, new LevelsData { ChannelLabels = default }));
        messages.Add(Message(DataType.Levels, new LevelsData { MaxLevelsDb = default }));
        messages.Add(Message(DataType.Scope, new ScopeData { Samples = default }));
        messages.Add(Message(DataType.Scope, new ScopeData { Samples = [[1f], default] }));
        messages.Add(Message(DataType.Loudness, new LoudnessData { SamplePeakDbfsPerChannel = default }));
        messages.Add(Message(DataType.FftSpectrum, new FftSpectrumData { Phases = default(ImmutableArray<float>) }));
        messages.Add(Message(DataType.OctaveSpectrum, new OctaveSpectrumData { BandLabels = default }));

        foreach (var data in messages)
        {
            var expected = Assert.ThrowsAny<Exception>(() => LegacyEncoding.Json(data));
            foreach (var encode in new Action[]
            {
                () => StreamingJson.SerializeToUtf8Bytes(data),
                () => StreamingJson.Serialize(new ArrayBufferWriter<byte>(), data),
                () => StreamingJson.Serialize(data),
                () => BinaryFrame.ToArray(data),
            })
            {
                var actual = Assert.ThrowsAny<Exception>(encode);
                Assert.Equal(expected.GetType(), actual.GetType());
                Assert.Equal(expected.Message, actual.Message);
            }
        }

        // The thread's writers are usable afterwards.
        AssertSameBytes(Message(DataType.Levels, new LevelsData { PeakLevelsDb = [-1f], ChannelLabels = ["ch1"] }));
    }

    [Fact]
    public async Task BuiltInPayloads_TakeTheHandWrittenWriter_AnyOtherTheSerializer()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new System.Text.Json.Utf8JsonWriter(buffer);
        foreach (var data in await RealMessagesAsync())
        {
            writer.Reset(buffer);
            Assert.True(BuiltInPayloadWriter.TryWrite(writer, data.DataType, data.Data), data.DataType.Name);
        }

        var custom = DataType.Register("custom_analysis", StreamingJsonTests.CustomJsonContext.Default.CustomAnalysisData);
        Assert.False(BuiltInPayloadWriter.TryWrite(writer, custom, new StreamingJsonTests.CustomAnalysisData()));

        // A built-in payload record registered by an application under its own name and metadata: its own names.
        var camel = DataType.Register("camel_fft_spectrum", CamelCaseJsonContext.Default.FftSpectrumData);
        Assert.False(BuiltInPayloadWriter.TryWrite(writer, camel, new FftSpectrumData()));
        var data2 = new StreamingData(
            new StreamingMetadata { DataType = camel, Timestamp = DateTimeOffset.UnixEpoch },
            new FftSpectrumData { Frequencies = [1f], MagnitudesLinear = [0.5f], MagnitudesDb = [-6.0206f], FftSize = 2 });
        AssertSameBytes(data2);
        Assert.Contains("\"magnitudesLinear\":[0.5]", StreamingJson.Serialize(data2), StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedArrays_KeptTextOnlyWhileTheBitsRepeat_ByteIdentical()
    {
        // FloatTextCache: the same frequencies again, then one value's sign bit (0 and -0), one ulp, a shorter and a
        // longer array, an array past the kept length, and back: every message byte-identical to the old encoder.
        float[] grid = [0f, 11.71875f, 23.4375f, 35.15625f, 5.988E-08f];
        List<float[]> variants =
        [
            grid, grid, [-0f, .. grid[1..]], grid, [grid[0], MathF.BitIncrement(grid[1]), .. grid[2..]], grid, grid[..4], grid, [.. grid, 1f], grid,
            Enumerable.Range(0, FloatTextCache.MaxValues + 1).Select(i => i * 0.5f).ToArray(), grid, [], grid,
        ];
        foreach (var frequencies in variants)
        {
            var values = ImmutableArray.Create(frequencies);
            AssertSameBytes(Message(DataType.FftSpectrum, new FftSpectrumData { Frequencies = values, MagnitudesLinear = values, MagnitudesDb = values }));
            AssertSameBytes(Message(DataType.Spectrogram, new SpectrogramData { Frequencies = values, MagnitudesDb = values }));
            AssertSameBytes(Message(DataType.OctaveSpectrum, new OctaveSpectrumData { CenterFrequencies = values, LowerFrequencies = values, UpperFrequencies = values }));
            AssertSameBytes(Message(DataType.Scope, new ScopeData { Times = values, Samples = [values] }));
        }

        // A failed message (NaN) between two equal ones leaves nothing stale.
        var good = Message(DataType.Spectrogram, new SpectrogramData { Frequencies = [1f, 2f], MagnitudesDb = [3f, 4f] });
        AssertSameBytes(good);
        Assert.ThrowsAny<Exception>(() => StreamingJson.SerializeToUtf8Bytes(Message(DataType.Spectrogram, new SpectrogramData { Frequencies = [1f, float.NaN] })));
        AssertSameBytes(good);
    }

    [Fact]
    public async Task CallersWriterWithOtherOptions_IndentedOrRelaxedEscaping_SameBytesAsThePreviousEncoder()
    {
        // StreamingJson.Serialize(Utf8JsonWriter, ...) honours the caller's writer options exactly as the serializer did.
        var custom = ImmutableDictionary<string, string>.Empty.Add("room", "Stüdio <A&B>");
        var messages = (await RealMessagesAsync()).Select(m => PayloadReducer.Reduce(m, ResolutionRequest.NetworkDefault)).ToList();
        messages.Add(Message(DataType.DelayEstimator, new DelayEstimatorData { InactiveReason = "<é>", Polarity = (Polarity)7 }, custom));
        messages.Add(Message(DataType.Loudness, new LoudnessData { TruePeakDbtpPerChannel = [null, -1f] }, custom));
        foreach (var options in new[]
        {
            new System.Text.Json.JsonWriterOptions { Indented = true },
            new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping },
        })
        {
            foreach (var data in messages)
            {
                var expected = new ArrayBufferWriter<byte>();
                using (var writer = new System.Text.Json.Utf8JsonWriter(expected, options))
                {
                    PreviousEncoding.WriteJson(writer, data);
                }

                var actual = new ArrayBufferWriter<byte>();
                using (var writer = new System.Text.Json.Utf8JsonWriter(actual, options))
                {
                    StreamingJson.Serialize(writer, data);
                }

                Assert.Equal(System.Text.Encoding.UTF8.GetString(expected.WrittenSpan), System.Text.Encoding.UTF8.GetString(actual.WrittenSpan));
            }
        }
    }

    [Fact]
    public void RegisteredCustomType_ByteIdentical()
    {
        var custom = DataType.Register("custom_analysis", StreamingJsonTests.CustomJsonContext.Default.CustomAnalysisData);
        var data = new StreamingData(
            new StreamingMetadata { DataType = custom, Timestamp = DateTimeOffset.UnixEpoch, StreamTime = 1.25 },
            new StreamingJsonTests.CustomAnalysisData { Result = 1.5, Confidence = 0.9 });

        AssertSameBytes(data);
    }

    [Fact]
    public async Task SteadyState_JsonAndBinaryEncodersAllocateNothing()
    {
        var messages = await RealMessagesAsync();
        var reduced = messages.Select(m => PayloadReducer.Reduce(m, ResolutionRequest.NetworkDefault)).ToList();
        var all = messages.Concat(reduced).ToList();
        var buffer = new ArrayBufferWriter<byte>(4 << 20);
        void Round()
        {
            foreach (var data in all)
            {
                buffer.ResetWrittenCount();
                StreamingJson.Serialize(buffer, data);
                buffer.ResetWrittenCount();
                BinaryFrame.Write(buffer, data);
            }
        }

        Round();
        Round();

        Allocations.AssertSteadyStateAllocatesNothing(Round);
    }

    private static void AssertSameBytes(StreamingData data, bool exactRoundTrip = true)
    {
        var expectedJson = LegacyEncoding.Json(data);
        var buffer = new ArrayBufferWriter<byte>();
        StreamingJson.Serialize(buffer, data);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expectedJson), System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(expectedJson, PreviousEncoding.Json(data)); // the benchmark's second baseline writes the same bytes
        Assert.Equal(expectedJson, buffer.WrittenSpan.ToArray());
        Assert.Equal(expectedJson, StreamingJson.SerializeToUtf8Bytes(data));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expectedJson), StreamingJson.Serialize(data));

        var expectedFrame = LegacyEncoding.Binary(data);
        var frame = BinaryFrame.ToArray(data);
        if (!expectedFrame.AsSpan().SequenceEqual(frame))
        {
            Assert.Fail($"{data.DataType.Name}: frame of {frame.Length} bytes differs from the reference's {expectedFrame.Length} (first difference at byte {expectedFrame.AsSpan().CommonPrefixLength(frame)})");
        }

        // And the frame still reads back to the same message (for extreme values, to the one the JSON reads back to:
        // a float's shortest text does not always read back as a double that is that float, 8.589935E+09 for 2^33).
        var readBack = exactRoundTrip ? expectedJson : StreamingJson.SerializeToUtf8Bytes(StreamingJson.Deserialize(expectedJson));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(readBack), System.Text.Encoding.UTF8.GetString(StreamingJson.SerializeToUtf8Bytes(BinaryFrame.Read(frame))));
    }

    private static StreamingData Message(DataType type, StreamingPayload payload, ImmutableDictionary<string, string>? custom = null) =>
        new(new StreamingMetadata
        {
            DataType = type, Timestamp = new DateTimeOffset(2026, 12, 2, 16, 30, 0, 123, TimeSpan.Zero), StreamTime = 12.345,
            SampleRate = 48_000, Channels = 2, SequenceNumber = 517, ProducerId = "p", Custom = custom,
        }, payload);

    /// <summary>Three messages of every built-in type from the library's default producers on 2-channel noise (not real time).</summary>
    private static async Task<List<StreamingData>> RealMessagesAsync()
    {
        var received = new ConcurrentDictionary<DataType, ConcurrentQueue<StreamingData>>();
        await using (var api = new StreamingApi())
        {
            using var source = new SignalGeneratorSource(new SignalGeneratorOptions
            {
                Waveform = SignalWaveform.WhiteNoise, Channels = 2, InterChannelDelaySeconds = 0.002, LevelDbfs = -12, RealTime = false, Seed = 5,
            });
            api.RegisterDefaultProducers();
            var sink = new CallbackConsumer(data => received.GetOrAdd(data.DataType, _ => new()).Enqueue(data));
            foreach (var type in DataType.BuiltIn)
            {
                api.RegisterConsumer(type, sink);
            }

            api.SetAudioSource(source);
            await api.StartStreamingAsync(TestContext.Current.CancellationToken);
            await Wait.UntilAsync(
                () => DataType.BuiltIn.All(t => received.TryGetValue(t, out var q) && q.Count >= 3),
                "three messages of every built-in type");
            await api.StopStreamingAsync();
        }

        return DataType.BuiltIn.SelectMany(t => received[t].Take(3)).ToList();
    }

    [System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
    [System.Text.Json.Serialization.JsonSerializable(typeof(FftSpectrumData))]
    internal sealed partial class CamelCaseJsonContext : System.Text.Json.Serialization.JsonSerializerContext
    {
    }
}
