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
    [ThreadStatic]
    private static (string? Id, JsonEncodedText Text)[]? t_producerIds;

    [ThreadStatic]
    private static int t_nextProducerId;

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

    public override void Write(Utf8JsonWriter writer, StreamingData value, JsonSerializerOptions options) =>
        WriteEnvelope(writer, value);

    /// <summary>
    /// The envelope: the metadata by hand, a built-in payload by <see cref="BuiltInPayloadWriter"/>, any other payload
    /// by the serializer with its data type's metadata.
    /// </summary>
    public static void WriteEnvelope(Utf8JsonWriter writer, StreamingData value)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(MetadataName);
        WriteMetadata(writer, value.Metadata);
        writer.WritePropertyName(DataName);
        var dataType = value.Metadata.DataType;
        if (!BuiltInPayloadWriter.TryWrite(writer, dataType, value.Data))
        {
            JsonSerializer.Serialize(writer, value.Data, dataType.PayloadTypeInfo);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The metadata object by hand: byte for byte what the generated serializer writes for
    /// <see cref="StreamingJsonContext.StreamingMetadata"/> (same names, order and value converters; the data type as its
    /// wire name, the timestamp as the writer's ISO 8601 text, stream_time through <see cref="CompactDoubleJsonConverter"/>,
    /// custom as an object of strings or null), without its per-property dispatch. StreamingJsonTests compares the two.
    /// </summary>
    private static void WriteMetadata(Utf8JsonWriter writer, StreamingMetadata metadata)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(DataTypeName);
        if (metadata.DataType is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(metadata.DataType.JsonName);
        }

        writer.WritePropertyName(TimestampName);
        Span<byte> timestamp = stackalloc byte[JsonTimestamp.MaxQuotedLength];
        writer.WriteRawValue(timestamp[..JsonTimestamp.FormatQuoted(metadata.Timestamp, timestamp)], skipInputValidation: true);
        writer.WritePropertyName(StreamTimeName);
        CompactDoubleJsonConverter.WriteValue(writer, metadata.StreamTime);
        writer.WriteNumber(SampleRateName, metadata.SampleRate);
        writer.WriteNumber(ChannelsName, metadata.Channels);
        writer.WriteNumber(SequenceNumberName, metadata.SequenceNumber);
        WriteProducerId(writer, metadata.ProducerId);
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

    /// <summary>
    /// Writes <c>producer_id</c>, from a per-thread cache of the last few ids encoded when the id needs no escaping under
    /// any encoder (ASCII letters, digits, '_', '-', '.'): a producer stamps the same string on every message.
    /// </summary>
    private static void WriteProducerId(Utf8JsonWriter writer, string? producerId)
    {
        if (producerId is null || producerId.Length > 64)
        {
            writer.WriteString(ProducerIdName, producerId);
            return;
        }

        var cache = t_producerIds ??= new (string?, JsonEncodedText)[8];
        for (var i = 0; i < cache.Length; i++)
        {
            if (ReferenceEquals(cache[i].Id, producerId))
            {
                writer.WriteString(ProducerIdName, cache[i].Text);
                return;
            }
        }

        foreach (var c in producerId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                writer.WriteString(ProducerIdName, producerId);
                return;
            }
        }

        var text = JsonEncodedText.Encode(producerId);
        cache[t_nextProducerId] = (producerId, text);
        t_nextProducerId = (t_nextProducerId + 1) % cache.Length;
        writer.WriteString(ProducerIdName, text);
    }
}
