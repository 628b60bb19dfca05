using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization.Legacy;

/// <summary>
/// The JSON encoding as it was before the fast writers (2026-12-02): the generated metadata-mode serializer for the
/// envelope's metadata and for every built-in payload, with the serializer's own array converters and
/// <c>Utf8JsonWriter.WriteNumberValue(float)</c> per element. The reference the new encoders must match byte for byte
/// (tests) and the baseline of the <c>process sizes</c> benchmark.
/// </summary>
internal static class LegacyEncoding
{
    private static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");

    /// <summary>Writes the envelope as the old code did (a new writer per message, as StreamingJson did).</summary>
    public static void WriteJson(IBufferWriter<byte> destination, StreamingData data)
    {
        using var writer = new Utf8JsonWriter(destination);
        writer.WriteStartObject();
        writer.WritePropertyName(MetadataName);
        JsonSerializer.Serialize(writer, data.Metadata, LegacyJsonContext.Default.StreamingMetadata);
        writer.WritePropertyName(DataName);
        var typeInfo = data.DataType.IsBuiltIn ? LegacyJsonContext.Default.GetTypeInfo(data.DataType.PayloadType)! : data.DataType.PayloadTypeInfo;
        JsonSerializer.Serialize(writer, data.Data, typeInfo);
        writer.WriteEndObject();
    }

    /// <summary>The old JSON as bytes.</summary>
    public static byte[] Json(StreamingData data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteJson(buffer, data);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The old binary frame as bytes.</summary>
    public static byte[] Binary(StreamingData data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        LegacyBinaryFrame.Write(buffer, data);
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The old CompactDoubleJsonConverter: a double holding a float32 value is written as that float.</summary>
internal sealed class LegacyCompactDoubleJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        var single = (float)value;
        if ((double)single == value)
        {
            writer.WriteNumberValue(single);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}

/// <summary>The old payload and metadata contexts' options, without the new array converters.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    UseStringEnumConverter = true,
    WriteIndented = false,
    GenerationMode = JsonSourceGenerationMode.Metadata,
    Converters = [typeof(LegacyCompactDoubleJsonConverter)])]
[JsonSerializable(typeof(StreamingMetadata))]
[JsonSerializable(typeof(PitchData))]
[JsonSerializable(typeof(FftSpectrumData))]
[JsonSerializable(typeof(OctaveSpectrumData))]
[JsonSerializable(typeof(LevelsData))]
[JsonSerializable(typeof(DelayEstimatorData))]
[JsonSerializable(typeof(SpectrogramData))]
[JsonSerializable(typeof(ScopeData))]
[JsonSerializable(typeof(LoudnessData))]
internal sealed partial class LegacyJsonContext : JsonSerializerContext
{
}
