using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization.Legacy;

/// <summary>
/// The JSON encoder as it was before the hand-written payload writers (main at ef02a27, 2026-12-02): the fast array
/// and double converters (their copies in PreviousFloatText.cs, without the exponent-notation fast path) and the
/// hand-written metadata, but each payload through the generated metadata-mode serializer, the envelope through the
/// serializer's root call, the timestamp through the writer's date formatter. The second baseline of the <c>process sizes</c> benchmark (new against this and against
/// <see cref="LegacyEncoding"/>); EncoderEquivalenceTests checks it still writes the legacy bytes.
/// </summary>
internal static class PreviousEncoding
{
    private static readonly JsonTypeInfo<StreamingData> EnvelopeInfo = CreateEnvelopeInfo();

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes the envelope as StreamingJson.Serialize(IBufferWriter, ...) did (a reused writer per thread).</summary>
    public static void WriteJson(IBufferWriter<byte> destination, StreamingData data)
    {
        var writer = t_writer ??= new Utf8JsonWriter(destination);
        writer.Reset(destination);
        try
        {
            JsonSerializer.Serialize(writer, data, EnvelopeInfo);
            writer.Flush();
        }
        finally
        {
            writer.Reset(StreamingJson.Detached);
        }
    }

    /// <summary>Writes the envelope into a caller's writer as StreamingJson.Serialize(Utf8JsonWriter, ...) did.</summary>
    public static void WriteJson(Utf8JsonWriter writer, StreamingData data) => JsonSerializer.Serialize(writer, data, EnvelopeInfo);

    /// <summary>The previous JSON as bytes.</summary>
    public static byte[] Json(StreamingData data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteJson(buffer, data);
        return buffer.WrittenSpan.ToArray();
    }

    private static JsonTypeInfo<StreamingData> CreateEnvelopeInfo()
    {
        var options = new JsonSerializerOptions(StreamingJson.Options);
        var info = JsonMetadataServices.CreateValueInfo<StreamingData>(options, new PreviousEnvelopeConverter());
        info.MakeReadOnly();
        return info;
    }

    /// <summary>StreamingDataJsonConverter.Write as it was (reading is not needed here).</summary>
    private sealed class PreviousEnvelopeConverter : JsonConverter<StreamingData>
    {
        private static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata");
        private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");
        private static readonly JsonEncodedText DataTypeName = JsonEncodedText.Encode("data_type");
        private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
        private static readonly JsonEncodedText StreamTimeName = JsonEncodedText.Encode("stream_time");
        private static readonly JsonEncodedText SampleRateName = JsonEncodedText.Encode("sample_rate");
        private static readonly JsonEncodedText ChannelsName = JsonEncodedText.Encode("channels");
        private static readonly JsonEncodedText SequenceNumberName = JsonEncodedText.Encode("sequence_number");
        private static readonly JsonEncodedText ProducerIdName = JsonEncodedText.Encode("producer_id");
        private static readonly JsonEncodedText CustomName = JsonEncodedText.Encode("custom");
        private static readonly PreviousCompactDoubleJsonConverter CompactDouble = new();

        public override StreamingData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, StreamingData value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName(MetadataName);
            WriteMetadata(writer, value.Metadata, options);
            writer.WritePropertyName(DataName);
            var dataType = value.Metadata.DataType;
            var typeInfo = dataType.IsBuiltIn ? PreviousPayloadJsonContext.Default.GetTypeInfo(dataType.PayloadType)! : dataType.PayloadTypeInfo;
            JsonSerializer.Serialize(writer, value.Data, typeInfo);
            writer.WriteEndObject();
        }

        private static void WriteMetadata(Utf8JsonWriter writer, StreamingMetadata metadata, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName(DataTypeName);
            if (metadata.DataType is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(metadata.DataType.Name);
            }

            writer.WriteString(TimestampName, metadata.Timestamp);
            writer.WritePropertyName(StreamTimeName);
            CompactDouble.Write(writer, metadata.StreamTime, options);
            writer.WriteNumber(SampleRateName, metadata.SampleRate);
            writer.WriteNumber(ChannelsName, metadata.Channels);
            writer.WriteNumber(SequenceNumberName, metadata.SequenceNumber);
            writer.WriteString(ProducerIdName, metadata.ProducerId);
            writer.WritePropertyName(CustomName);
            if (metadata.Custom is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStartObject();
                foreach (var (key, item) in metadata.Custom)
                {
                    writer.WriteString(key, item);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
    }
}

/// <summary>PayloadJsonContext as it was, with the previous converters.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    UseStringEnumConverter = true,
    WriteIndented = false,
    GenerationMode = JsonSourceGenerationMode.Metadata,
    Converters = [typeof(PreviousCompactDoubleJsonConverter), typeof(PreviousFloatArrayJsonConverter), typeof(PreviousFloatMatrixJsonConverter),
        typeof(PreviousNullableFloatArrayJsonConverter), typeof(PreviousStringArrayJsonConverter)])]
[JsonSerializable(typeof(PitchData))]
[JsonSerializable(typeof(FftSpectrumData))]
[JsonSerializable(typeof(OctaveSpectrumData))]
[JsonSerializable(typeof(LevelsData))]
[JsonSerializable(typeof(DelayEstimatorData))]
[JsonSerializable(typeof(SpectrogramData))]
[JsonSerializable(typeof(ScopeData))]
[JsonSerializable(typeof(LoudnessData))]
internal sealed partial class PreviousPayloadJsonContext : JsonSerializerContext
{
}
