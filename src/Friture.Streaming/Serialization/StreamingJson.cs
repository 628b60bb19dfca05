using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization;

/// <summary>
/// The one JSON serialization of the stream, used by <c>FileConsumer</c> and by every protocol.
/// </summary>
/// <remarks>
/// A message is the envelope <c>{"metadata": {...}, "data": {...}}</c> with snake_case field names; see
/// <c>docs/wire-format.md</c>. All members are thread-safe. Serialization uses source-generated metadata only.
/// </remarks>
public static class StreamingJson
{
    // The envelope's context chained with the payloads' (each payload's metadata is generated once, in PayloadJsonContext).
    private static readonly JsonSerializerOptions CombinedOptions = CreateOptions();

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>What a thread's reused writer points at between messages (never written to; Reset(Stream) allocates).</summary>
    internal static IBufferWriter<byte> Detached { get; } = new ArrayBufferWriter<byte>(1);

    /// <summary>The serializer options behind every method here (snake_case, source-generated): they resolve the
    /// envelope, its metadata and every built-in payload type.</summary>
    public static JsonSerializerOptions Options => CombinedOptions;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(StreamingJsonContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(StreamingJsonContext.Default, PayloadJsonContext.Default),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Serializes a message to UTF-8 JSON in a writer.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="data">The message.</param>
    public static void Serialize(Utf8JsonWriter writer, StreamingData data)
    {
        if (writer is null || data is null)
        {
            // The serializer's own argument errors and its "null" for a null message.
            JsonSerializer.Serialize(writer!, data, StreamingJsonContext.Default.StreamingData);
            return;
        }

        // What the serializer does with the envelope's converter, without its root dispatch: the converter's text,
        // then a flush.
        StreamingDataJsonConverter.WriteEnvelope(writer, data);
        writer.Flush();
    }

    /// <summary>Serializes a message to UTF-8 JSON in a buffer writer (no intermediate array).</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="data">The message.</param>
    public static void Serialize(IBufferWriter<byte> destination, StreamingData data)
    {
        ArgumentNullException.ThrowIfNull(destination);

        // One writer per thread, reset onto the destination (a new writer per message was an allocation per message);
        // default options, as before, so the text is unchanged.
        var writer = t_writer ??= new Utf8JsonWriter(destination);
        writer.Reset(destination);
        try
        {
            Serialize(writer, data);
            writer.Flush();
        }
        finally
        {
            writer.Reset(StreamingJson.Detached); // drop the reference to the destination
        }
    }

    /// <summary>Serializes a message to UTF-8 JSON bytes.</summary>
    /// <param name="data">The message.</param>
    /// <returns>The JSON as UTF-8 bytes.</returns>
    public static byte[] SerializeToUtf8Bytes(StreamingData data) =>
        JsonSerializer.SerializeToUtf8Bytes(data, StreamingJsonContext.Default.StreamingData);

    /// <summary>Serializes a message to a JSON string.</summary>
    /// <param name="data">The message.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(StreamingData data) =>
        JsonSerializer.Serialize(data, StreamingJsonContext.Default.StreamingData);

    /// <summary>Serializes a payload alone (the <c>data</c> object of the envelope).</summary>
    /// <param name="dataType">The payload's data type.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>The JSON text.</returns>
    public static string SerializePayload(DataType dataType, StreamingPayload payload)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        return JsonSerializer.Serialize(payload, dataType.PayloadTypeInfo);
    }

    /// <summary>Reads a message from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>The message.</returns>
    /// <exception cref="JsonException">The JSON is not a valid message; the message says what is wrong.</exception>
    public static StreamingData Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, StreamingJsonContext.Default.StreamingData)
        ?? throw new JsonException("A streaming message must not be null.");

    /// <summary>Reads a message from JSON text.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The message.</returns>
    /// <exception cref="JsonException">The JSON is not a valid message; the message says what is wrong.</exception>
    public static StreamingData Deserialize(string json) =>
        JsonSerializer.Deserialize(json, StreamingJsonContext.Default.StreamingData)
        ?? throw new JsonException("A streaming message must not be null.");
}
