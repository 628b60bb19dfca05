using System.Buffers;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Server.Clients;

/// <summary>
/// One encoded message shared by every client queue that holds it: the bytes are serialized once, kept in a pooled
/// array and returned to the pool when the last holder releases them.
/// </summary>
/// <remarks>
/// A data message is queued before it is encoded (<see cref="ForData(StreamingData, ResolutionRequest, bool, Action{OutboundMessage, Exception})"/>): the
/// first send loop that writes it reduces and encodes it, once, for every holder. The encodings of a batch are then
/// made one after the other just before the write, with the encoder's code and tables warm, instead of one per delivery
/// turn between two blocks' analysis; a message dropped before it is written is never encoded.
/// </remarks>
internal sealed class OutboundMessage
{
    private readonly bool _pooled;
    private readonly ResolutionRequest? _resolution;
    private readonly Action<OutboundMessage, Exception>? _onEncodingFailed;
    private StreamingData? _data;
    private byte[]? _buffer;
    private int _length;
    private int _references = 1;
    private int _released;
    private Exception? _encodingError;

    private OutboundMessage(MessageKind kind, byte[]? buffer, int length, bool pooled)
    {
        Kind = kind;
        _buffer = buffer;
        _length = length;
        _pooled = pooled;
    }

    private OutboundMessage(StreamingData data, ResolutionRequest resolution, bool isBinary, Action<OutboundMessage, Exception>? onEncodingFailed)
        : this(MessageKind.Data, null, 0, pooled: true)
    {
        _data = data;
        _resolution = resolution;
        _onEncodingFailed = onEncodingFailed;
        DataType = data.DataType;
        SequenceNumber = data.Metadata.SequenceNumber;
        IsBinary = isBinary;
    }

    public MessageKind Kind { get; }

    public DataType? DataType { get; private init; }

    public long SequenceNumber { get; private init; }

    public bool IsBinary { get; private init; }

    /// <summary>The encoded length (encodes the message on first use).</summary>
    public int Length
    {
        get
        {
            Encode();
            return _length;
        }
    }

    /// <summary>The encoded bytes (encodes the message on first use).</summary>
    public ReadOnlyMemory<byte> Payload
    {
        get
        {
            Encode();
            return Volatile.Read(ref _buffer) is { } buffer ? buffer.AsMemory(0, _length) : throw new ObjectDisposedException(nameof(OutboundMessage));
        }
    }

    /// <summary>A data message encoded now.</summary>
    public static OutboundMessage ForData(StreamingData data, bool isBinary, byte[] pooledBuffer, int length) =>
        new(MessageKind.Data, pooledBuffer, length, pooled: true)
        {
            DataType = data.DataType,
            SequenceNumber = data.Metadata.SequenceNumber,
            IsBinary = isBinary,
        };

    /// <summary>A data message reduced to <paramref name="resolution"/> and encoded when first written.</summary>
    /// <param name="data">The message as produced.</param>
    /// <param name="resolution">The resolution to reduce it to.</param>
    /// <param name="isBinary">Binary frame, else JSON.</param>
    /// <param name="onEncodingFailed">Told once when the message cannot be encoded (see <see cref="TryEncode"/>).</param>
    public static OutboundMessage ForData(StreamingData data, ResolutionRequest resolution, bool isBinary, Action<OutboundMessage, Exception>? onEncodingFailed = null) =>
        new(data, resolution, isBinary, onEncodingFailed);

    public static OutboundMessage Pooled(MessageKind kind, byte[] pooledBuffer, int length) => new(kind, pooledBuffer, length, pooled: true);

    /// <summary>A message that is never returned to the pool (replies, comments); release is a no-op.</summary>
    public static OutboundMessage Unpooled(MessageKind kind, byte[] bytes, bool isBinary = false) =>
        new(kind, bytes, bytes.Length, pooled: false) { IsBinary = isBinary };

    /// <summary>
    /// Makes the bytes now if they are not made yet: the send loops call this for each message of a batch before they
    /// write it. A message that cannot be encoded (an application's payload the serializer refuses) is reported once,
    /// to the hub's owner, and every holder leaves it out; nothing else is affected.
    /// </summary>
    /// <returns><see langword="false"/> when the message cannot be encoded.</returns>
    public bool TryEncode()
    {
        if (Volatile.Read(ref _data) is null)
        {
            return Volatile.Read(ref _encodingError) is null;
        }

        try
        {
            Encode();
            return true;
        }
#pragma warning disable CA1031 // Any serializer failure is this message's alone: reported, and the message left out.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (Interlocked.CompareExchange(ref _encodingError, ex, null) is null)
            {
                Volatile.Write(ref _data, null);
                _onEncodingFailed?.Invoke(this, ex);
            }

            return false;
        }
    }

    public void AddReference() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (!_pooled || Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        Volatile.Write(ref _released, 1);
        Volatile.Write(ref _data, null);
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Makes the bytes of a deferred message (once; two loops racing make the same bytes and one copy is kept).</summary>
    private void Encode()
    {
        if (Volatile.Read(ref _data) is not { } data || Volatile.Read(ref _released) != 0)
        {
            return;
        }

        var (buffer, length) = MessageEncoder.EncodeBytes(PayloadReducer.Reduce(data, _resolution!), IsBinary ? SerializationFormat.Binary : SerializationFormat.Json);
        _length = length; // every racer writes the same length
        if (Interlocked.CompareExchange(ref _buffer, buffer, null) is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Volatile.Write(ref _data, null);
        if (Volatile.Read(ref _released) != 0 && Interlocked.Exchange(ref _buffer, null) is { } late)
        {
            ArrayPool<byte>.Shared.Return(late);
        }
    }
}
