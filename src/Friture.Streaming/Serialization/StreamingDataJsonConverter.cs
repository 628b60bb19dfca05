using System.Text.Json;
using System.Text.Json.Serialization;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization;

/// <summary>
/// Writes the envelope <c>{"metadata": {...}, "data": {...}}</c>, serializing the payload with the metadata's
/// registered data type, and reads it back (metadata may come before or after data).
/// </summary>
internal sealed class StreamingDataJsonConverter : JsonConverter<StreamingData>
{
    private static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");

    public override StreamingData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A streaming message must be a JSON object with 'metadata' and 'data'.");
        }

        if (!root.TryGetProperty("metadata", out var metadataElement))
        {
            throw new JsonException("A streaming message needs a 'metadata' object.");
        }

        if (!root.TryGetProperty("data", out var dataElement))
        {
            throw new JsonException("A streaming message needs a 'data' object.");
        }

        var metadata = metadataElement.Deserialize(StreamingJsonContext.Default.StreamingMetadata)
            ?? throw new JsonException("'metadata' must not be null.");
        if (metadata.DataType is null)
        {
            throw new JsonException("'metadata.data_type' is required.");
        }

        var payload = dataElement.Deserialize(metadata.DataType.PayloadTypeInfo) as StreamingPayload
            ?? throw new JsonException($"'data' must be a {metadata.DataType.PayloadType.Name} object.");
        return new StreamingData(metadata, payload);
    }

    public override void Write(Utf8JsonWriter writer, StreamingData value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(MetadataName);
        JsonSerializer.Serialize(writer, value.Metadata, StreamingJsonContext.Default.StreamingMetadata);
        writer.WritePropertyName(DataName);
        JsonSerializer.Serialize(writer, value.Data, value.Metadata.DataType.PayloadTypeInfo);
        writer.WriteEndObject();
    }
}
