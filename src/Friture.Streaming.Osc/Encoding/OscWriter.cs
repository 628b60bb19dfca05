using System.Buffers.Binary;
using System.Text;

namespace Friture.Streaming.Osc.Encoding;

/// <summary>
/// Writes OSC 1.0 packets: messages (address, type tag string, arguments) and bundles (<c>#bundle</c>, NTP time tag,
/// size-prefixed elements). Every item is big-endian and padded with zeros to a multiple of 4 bytes.
/// </summary>
/// <remarks>Not thread-safe; reuse one instance per thread (<see cref="Reset"/>). The buffer grows and is kept.</remarks>
internal sealed class OscWriter
{
    private static readonly byte[] BundleTag = "#bundle\0"u8.ToArray();
    private readonly Stack<int> _elements = new();
    private byte[] _buffer = new byte[1024];
    private int _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public void Reset()
    {
        _length = 0;
        _elements.Clear();
    }

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Starts a bundle: <c>#bundle</c> and its time tag (NTP 32.32 fixed point; 1 = immediately).</summary>
    public void BeginBundle(ulong timeTag)
    {
        Write(BundleTag);
        BinaryPrimitives.WriteUInt64BigEndian(Grow(8), timeTag);
    }

    /// <summary>Starts a bundle element: reserves its int32 size, filled in by <see cref="EndElement"/>.</summary>
    public void BeginElement()
    {
        Grow(4);
        _elements.Push(_length);
    }

    public void EndElement()
    {
        var start = _elements.Pop();
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(start - 4), _length - start);
    }

    /// <summary>Starts a message: address pattern and type tag string (with its leading comma).</summary>
    public void BeginMessage(string address, string typeTags)
    {
        WriteString(address);
        WriteString(typeTags);
    }

    public void WriteInt(int value) => BinaryPrimitives.WriteInt32BigEndian(Grow(4), value);

    public void WriteFloat(float value) => BinaryPrimitives.WriteSingleBigEndian(Grow(4), value);

    /// <summary>An OSC-string: ASCII/UTF-8 bytes, a terminating zero, padded to 4 bytes.</summary>
    public void WriteString(string value)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(value);
        var span = Grow(Padded(count + 1));
        var written = System.Text.Encoding.UTF8.GetBytes(value, span);
        span[written..].Clear();
    }

    /// <summary>An OSC-blob: int32 size, the bytes, padded to 4 bytes.</summary>
    public void WriteBlob(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        var span = Grow(Padded(value.Length));
        value.CopyTo(span);
        span[value.Length..].Clear();
    }

    /// <summary>A blob of big-endian float32 values.</summary>
    public void WriteFloatBlob(ReadOnlySpan<float> values)
    {
        WriteInt(values.Length * 4);
        var span = Grow(values.Length * 4);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleBigEndian(span[(i * 4)..], values[i]);
        }
    }

    internal static int Padded(int length) => (length + 3) & ~3;

    private void Write(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
