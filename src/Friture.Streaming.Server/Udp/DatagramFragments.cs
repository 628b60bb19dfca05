using System.Buffers.Binary;

namespace Friture.Streaming.Server.Udp;

/// <summary>
/// The fragment datagrams of a message larger than the datagram limit (docs/wire-format.md, "UDP fragments"): each
/// starts with a 16-byte header, magic <c>FSF1</c>, message id, fragment index and count, and the message's total length,
/// followed by the next piece of the message. A receiver concatenates the pieces of one id in index order.
/// </summary>
internal static class DatagramFragments
{
    /// <summary>Bytes before each piece.</summary>
    public const int HeaderBytes = 16;

    /// <summary>The four magic bytes of a fragment: ASCII <c>FSF1</c> (a whole JSON message starts with <c>{</c>, a binary frame with <c>FSB1</c>).</summary>
    public static ReadOnlySpan<byte> Magic => "FSF1"u8;

    /// <summary>The number of fragments of a message of <paramref name="length"/> bytes under a limit of <paramref name="maxDatagramBytes"/>.</summary>
    public static int CountFor(int length, int maxDatagramBytes)
    {
        var piece = maxDatagramBytes - HeaderBytes;
        return (length + piece - 1) / piece;
    }

    /// <summary>Writes fragment <paramref name="index"/> of <paramref name="message"/> into <paramref name="destination"/>; returns its length.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> message, uint messageId, int index, int maxDatagramBytes)
    {
        var piece = maxDatagramBytes - HeaderBytes;
        var count = CountFor(message.Length, maxDatagramBytes);
        var start = index * piece;
        var length = Math.Min(piece, message.Length - start);
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], messageId);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], (ushort)index);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)message.Length);
        message.Slice(start, length).CopyTo(destination[HeaderBytes..]);
        return HeaderBytes + length;
    }
}
