using System.Buffers;
using System.Text.Json;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Server.Clients;

/// <summary>Builds the JSON replies to control messages: <c>subscribed</c>, <c>pong</c>, <c>authenticated</c>, <c>error</c>.</summary>
internal static class ControlReplies
{
    private static readonly byte[] PongBytes = """{"type":"pong"}"""u8.ToArray();
    private static readonly byte[] AuthenticatedBytes = """{"type":"authenticated"}"""u8.ToArray();

    public static OutboundMessage Pong() => OutboundMessage.Unpooled(MessageKind.Control, PongBytes);

    public static OutboundMessage Authenticated() => OutboundMessage.Unpooled(MessageKind.Control, AuthenticatedBytes);

    public static OutboundMessage Done(string type, string dataType)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("data_type", dataType);
            writer.WriteEndObject();
        }

        return OutboundMessage.Unpooled(MessageKind.Control, buffer.WrittenSpan.ToArray());
    }

    public static OutboundMessage Error(string message) => OutboundMessage.Unpooled(MessageKind.Control, ErrorBytes(message));

    public static byte[] ErrorBytes(string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static OutboundMessage Subscribed(ClientSubscription subscription, TimeSpan linger)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "subscribed");
            writer.WriteStartArray("types");
            if (!subscription.Types.IsDefault)
            {
                foreach (var type in subscription.Types)
                {
                    writer.WriteStringValue(type.Name);
                }
            }

            writer.WriteEndArray();
            writer.WriteNumber("rate", subscription.RateHz);
            writer.WriteBoolean("batch", subscription.Batch);
            writer.WriteString("format", subscription.Format switch { SerializationFormat.Binary => "binary", SerializationFormat.Json => "json", _ => "default" });
            writer.WriteString("resolution", subscription.Resolution switch { null => "default", { IsFull: true } => "full", _ => "custom" });
            writer.WriteNumber("linger_ms", linger.TotalMilliseconds);
            writer.WriteEndObject();
        }

        return OutboundMessage.Unpooled(MessageKind.Control, buffer.WrittenSpan.ToArray());
    }
}
