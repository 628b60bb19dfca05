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
public sealed class EncoderEquivalenceTests
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

    private static void AssertSameBytes(StreamingData data)
    {
        var expectedJson = LegacyEncoding.Json(data);
        var buffer = new ArrayBufferWriter<byte>();
        StreamingJson.Serialize(buffer, data);
        Assert.Equal(expectedJson, buffer.WrittenSpan.ToArray());
        Assert.Equal(expectedJson, StreamingJson.SerializeToUtf8Bytes(data));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expectedJson), StreamingJson.Serialize(data));

        var expectedFrame = LegacyEncoding.Binary(data);
        var frame = BinaryFrame.ToArray(data);
        if (!expectedFrame.AsSpan().SequenceEqual(frame))
        {
            Assert.Fail($"{data.DataType.Name}: frame of {frame.Length} bytes differs from the reference's {expectedFrame.Length} (first difference at byte {expectedFrame.AsSpan().CommonPrefixLength(frame)})");
        }

        // And the frame still reads back to the same message.
        Assert.Equal(expectedJson, StreamingJson.SerializeToUtf8Bytes(BinaryFrame.Read(frame)));
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
}
