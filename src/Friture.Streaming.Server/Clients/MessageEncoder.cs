using System.Text;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Server.Clients;

/// <summary>Serializes a message once into a pooled buffer, in JSON or in the binary frame.</summary>
internal static class MessageEncoder
{
    [ThreadStatic]
    private static PooledBufferWriter? t_writer;

    public static OutboundMessage Encode(StreamingData data, SerializationFormat format)
    {
        var (buffer, length) = EncodeBytes(data, format);
        return OutboundMessage.ForData(data, format == SerializationFormat.Binary, buffer, length);
    }

    /// <summary>Serializes a message into a pooled array, which the caller returns to the pool.</summary>
    public static (byte[] Buffer, int Length) EncodeBytes(StreamingData data, SerializationFormat format)
    {
        var writer = t_writer ??= new PooledBufferWriter(8192);
        writer.Clear();
        if (format == SerializationFormat.Binary)
        {
            BinaryFrame.Write(writer, data);
        }
        else
        {
            StreamingJson.Serialize(writer, data);
        }

        return writer.Detach();
    }

    public static OutboundMessage EncodeText(string text, MessageKind kind = MessageKind.Application)
    {
        var writer = t_writer ??= new PooledBufferWriter(8192);
        writer.Clear();
        var length = Encoding.UTF8.GetByteCount(text);
        Encoding.UTF8.GetBytes(text, writer.GetSpan(length));
        writer.Advance(length);
        var (buffer, written) = writer.Detach();
        return OutboundMessage.Pooled(kind, buffer, written);
    }
}
