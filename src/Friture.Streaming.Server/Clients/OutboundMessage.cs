using System.Buffers;

namespace Friture.Streaming.Server.Clients;

/// <summary>
/// One encoded message shared by every client queue that holds it: the bytes are serialized once, kept in a pooled
/// array and returned to the pool when the last holder releases them.
/// </summary>
internal sealed class OutboundMessage
{
    private readonly bool _pooled;
    private byte[]? _buffer;
    private int _references = 1;

    private OutboundMessage(MessageKind kind, byte[] buffer, int length, bool pooled)
    {
        Kind = kind;
        _buffer = buffer;
        Length = length;
        _pooled = pooled;
    }

    public MessageKind Kind { get; }

    public DataType? DataType { get; private init; }

    public long SequenceNumber { get; private init; }

    public bool IsBinary { get; private init; }

    public int Length { get; }

    public ReadOnlyMemory<byte> Payload =>
        _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(OutboundMessage));

    public static OutboundMessage ForData(StreamingData data, bool isBinary, byte[] pooledBuffer, int length) =>
        new(MessageKind.Data, pooledBuffer, length, pooled: true)
        {
            DataType = data.DataType,
            SequenceNumber = data.Metadata.SequenceNumber,
            IsBinary = isBinary,
        };

    public static OutboundMessage Pooled(MessageKind kind, byte[] pooledBuffer, int length) => new(kind, pooledBuffer, length, pooled: true);

    /// <summary>A message that is never returned to the pool (replies, comments); release is a no-op.</summary>
    public static OutboundMessage Unpooled(MessageKind kind, byte[] bytes, bool isBinary = false) =>
        new(kind, bytes, bytes.Length, pooled: false) { IsBinary = isBinary };

    public void AddReference() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (!_pooled || Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
