using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Friture.Streaming.Data;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Tests.Serialization;

public sealed partial class StreamingJsonTests
{
    [Fact]
    public void Serialize_PitchMessage_EnvelopeWithSeedSnakeCaseNames()
    {
        var data = new StreamingData(
            new StreamingMetadata
            {
                DataType = DataType.PitchTracker,
                Timestamp = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
                StreamTime = 1.5,
                SampleRate = 48_000,
                Channels = 2,
                SequenceNumber = 42,
                ProducerId = "pitch",
                Custom = ImmutableDictionary<string, string>.Empty.Add("room", "studio"),
            },
            new PitchData { FrequencyHz = 440.0, Confidence = 0.93, NoteName = "A4", CentsOffset = 0.4, AmplitudeDb = -12.5, HarmonicClarity = 0.8 });

        var json = JsonNode.Parse(StreamingJson.Serialize(data))!;
        var metadata = json["metadata"]!;
        Assert.Equal("pitch_tracker", (string?)metadata["data_type"]);
        Assert.Equal(1.5, (double)metadata["stream_time"]!);
        Assert.Equal(48_000, (int)metadata["sample_rate"]!);
        Assert.Equal(2, (int)metadata["channels"]!);
        Assert.Equal(42, (long)metadata["sequence_number"]!);
        Assert.Equal("pitch", (string?)metadata["producer_id"]);
        Assert.Equal("studio", (string?)metadata["custom"]!["room"]);
        Assert.StartsWith("2026-11-23T12:00:00", (string?)metadata["timestamp"], StringComparison.Ordinal);
        var payload = json["data"]!;
        Assert.Equal(440.0, (double)payload["frequency_hz"]!);
        Assert.Equal(0.93, (double)payload["confidence"]!);
        Assert.Equal("A4", (string?)payload["note_name"]);
        Assert.Equal(-12.5, (double)payload["amplitude_db"]!);
        Assert.Equal(0.8, (double)payload["harmonic_clarity"]!);
        Assert.Equal(0.4, (double)payload["cents_offset"]!);
    }

    [Fact]
    public void Serialize_Unvoiced_FrequencyIsNull()
    {
        var json = StreamingJson.SerializePayload(DataType.PitchTracker, new PitchData { Confidence = 0.1 });
        Assert.Contains("\"frequency_hz\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"note_name\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_RoundTripsEveryBuiltInType()
    {
        var payloads = new StreamingPayload[]
        {
            new PitchData { FrequencyHz = 220, Confidence = 0.5, NoteName = "A3" },
            new FftSpectrumData { Frequencies = [0f, 10f], MagnitudesLinear = [1f, 0.5f], MagnitudesDb = [0f, -6f], Phases = [0f, 1f], FftSize = 4, PeakFrequency = 0 },
            new OctaveSpectrumData { CenterFrequencies = [1000f], BandEnergiesDb = [-3f], BandLabels = ["1k"], BandsPerOctave = 3 },
            new LevelsData { PeakLevelsDb = [0f, -1f], RmsLevelsDb = [-3f, -4f], ChannelLabels = ["ch1", "ch2"] },
            new DelayEstimatorData { DelayMs = 1.25, DelaySamples = 60, Polarity = Polarity.Reversed, DistanceM = 0.43 },
            new SpectrogramData { Frequencies = [100f], MagnitudesDb = [-20f], FrequencyScale = "mel" },
            new ScopeData { Times = [0f, 1f], Samples = [[0.1f, 0.2f], [0.3f, 0.4f]], ChannelLabels = ["ch1", "ch2"] },
            new LoudnessData { MomentaryLufs = -23, IntegratedLufs = null, DurationSeconds = 1.5, TruePeakDbtpPerChannel = [-1f, null] },
        };

        for (var i = 0; i < payloads.Length; i++)
        {
            var original = new StreamingData(new StreamingMetadata { DataType = DataType.BuiltIn[i], Timestamp = DateTimeOffset.UnixEpoch, SequenceNumber = i }, payloads[i]);
            var json = StreamingJson.Serialize(original);
            var back = StreamingJson.Deserialize(json);
            Assert.Equal(original.DataType, back.DataType);
            Assert.Equal(json, StreamingJson.Serialize(back));
        }
    }

    [Fact]
    public void Options_ResolveEveryBuiltInPayload_SameJsonAsTheEnvelope()
    {
        // The envelope's context no longer lists the payloads (their metadata is generated once, in PayloadJsonContext):
        // the public options must still serialize each one, with the wire's names and compact floats.
        var payload = new FftSpectrumData { Frequencies = [0f, 0.1f], MagnitudesLinear = [1f, 0.5f], MagnitudesDb = [0f, -6.0206f], Phases = [0f, 1f], FftSize = 4 };
        foreach (var type in DataType.BuiltIn)
        {
            Assert.NotNull(StreamingJson.Options.GetTypeInfo(type.PayloadType));
        }

        var viaOptions = JsonSerializer.Serialize(payload, StreamingJson.Options);
        Assert.Equal(StreamingJson.SerializePayload(DataType.FftSpectrum, payload), viaOptions);
        Assert.Contains("\"magnitudes_db\":[0,-6.0206]", viaOptions, StringComparison.Ordinal);
        Assert.Contains("\"frequencies\":[0,0.1]", viaOptions, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_PolarityAndEnums_UseWireNames()
    {
        var json = StreamingJson.SerializePayload(DataType.DelayEstimator, new DelayEstimatorData { Polarity = Polarity.InPhase });
        Assert.Contains("\"polarity\":\"in_phase\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "metadata")]
    [InlineData("{\"metadata\":{\"data_type\":\"levels\",\"timestamp\":\"2026-01-01T00:00:00Z\"}}", "data")]
    [InlineData("{\"metadata\":{\"data_type\":\"nope\",\"timestamp\":\"2026-01-01T00:00:00Z\"},\"data\":{}}", "nope")]
    [InlineData("[1,2]", "JSON object")]
    public void Deserialize_Malformed_ErrorSaysWhatIsWrong(string json, string expected)
    {
        var ex = Assert.ThrowsAny<JsonException>(() => StreamingJson.Deserialize(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataType_BuiltInWireNames()
    {
        Assert.Equal(
            ["pitch_tracker", "fft_spectrum", "octave_spectrum", "levels", "delay_estimator", "spectrogram", "scope", "loudness"],
            DataType.BuiltIn.Select(t => t.Name));
        Assert.Same(DataType.Levels, DataType.Parse("levels"));
        Assert.False(DataType.TryParse("LEVELS", out _));
        var ex = Assert.Throws<ArgumentException>(() => DataType.Parse("bogus"));
        Assert.Contains("pitch_tracker", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterCustomType_FlowsThroughEngineAndJson()
    {
        var custom = DataType.Register("custom_analysis", CustomJsonContext.Default.CustomAnalysisData);
        Assert.Same(custom, DataType.Register("custom_analysis", CustomJsonContext.Default.CustomAnalysisData));
        Assert.False(custom.IsBuiltIn);
        await using var api = new StreamingApi();
        var queue = new Friture.Streaming.Consumers.QueueConsumer();
        api.RegisterConsumer(custom, queue);
        Assert.True(api.Publish(custom, new CustomAnalysisData { Result = 1.5, Confidence = 0.9 }, "mine"));
        var data = queue.GetData(TimeSpan.Zero)!;
        var json = StreamingJson.Serialize(data);
        Assert.Contains("\"data_type\":\"custom_analysis\"", json, StringComparison.Ordinal);
        Assert.Contains("\"result\":1.5", json, StringComparison.Ordinal);
        var back = StreamingJson.Deserialize(json);
        Assert.Equal(1.5, Assert.IsType<CustomAnalysisData>(back.Data).Result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("1abc")]
    [InlineData("has-dash")]
    public void Register_InvalidName_Throws(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => DataType.Register(name, CustomJsonContext.Default.CustomAnalysisData));
        Assert.Contains("not valid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_NameTakenByOtherPayload_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => DataType.Register("levels", CustomJsonContext.Default.CustomAnalysisData));
        Assert.Contains("already registered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Payloads_AreImmutable_NoPublicSetters()
    {
        foreach (var type in DataType.BuiltIn.Select(t => t.PayloadType))
        {
            foreach (var property in type.GetProperties())
            {
                var setter = property.SetMethod;
                Assert.True(setter is null || setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit"),
                    $"{type.Name}.{property.Name} has a mutable setter");
                Assert.False(property.PropertyType.IsArray, $"{type.Name}.{property.Name} exposes a mutable array");
            }
        }
    }

    public sealed record CustomAnalysisData : StreamingPayload
    {
        public double Result { get; init; }

        public double Confidence { get; init; }
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(CustomAnalysisData))]
    internal sealed partial class CustomJsonContext : JsonSerializerContext
    {
    }
}
