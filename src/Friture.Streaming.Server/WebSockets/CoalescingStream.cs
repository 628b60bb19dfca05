using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using Friture.Streaming.Server.Clients;

namespace Friture.Streaming.Server.WebSockets;

/// <summary>
/// The transport stream under a server <see cref="System.Net.WebSockets.WebSocket"/>: between <see cref="BeginBatch"/>
/// and the write after <see cref="FlushAtNextWrite"/> it copies the frames the socket writes into one pooled buffer and
/// hands them to the transport in one write, so a batch of N messages costs one socket send instead of N. Outside a
/// batch every write and flush passes straight through.
/// </summary>
/// <remarks>
/// <para>
/// Only the WebSocket writes to this stream, and it never runs two writes at once (its send lock serializes data
/// frames, pongs, keep-alive frames and the close frame), so the buffer needs no lock of its own: whichever frame
/// is written first after <see cref="FlushAtNextWrite"/> (the batch's last message, or a pong or close frame that got
/// the send lock first) writes everything buffered, itself included, in order. Control frames are therefore delayed
/// by at most the rest of the batch, whose writes into the buffer complete at once.
/// </para>
/// <para>
/// Bounded: at most <see cref="MaxBufferedBytes"/> are buffered. A frame that does not fit first sends what is
/// buffered; a frame larger than the bound is then written directly (a batch of large frames costs one write per
/// 256 KiB or per large frame, where the per-write cost is small beside the bytes). The buffer is rented from
/// <see cref="ArrayPool{T}.Shared"/> for the batch and returned once it has been written, so an idle client holds none.
/// </para>
/// <para>
/// <see cref="WriteFramesAsync"/> is the other way in: the session frames a batch of whole messages itself (RFC 6455
/// section 5.2, server frames are unmasked) straight into the buffer and writes it once, without a
/// <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/> per message.
/// A lock orders those writes with the socket's own (pongs, keep-alive frames, the close frame), frame by frame, which
/// is all RFC 6455 asks (control frames may come between messages); once the socket has written its close frame, no
/// data frame follows it.
/// </para>
/// </remarks>
internal sealed class CoalescingStream : Stream
{
    /// <summary>The most bytes held back in one batch before they are written out.</summary>
    public const int MaxBufferedBytes = 256 * 1024;

    // A WebSocket frame header is at most 14 bytes; permessage-deflate may add a few bytes to an incompressible payload.
    private const int FrameOverhead = 64;

    private const int InitialBufferBytes = 16 * 1024;
    private const int Direct = 0;
    private const int Buffering = 1;
    private const int FlushNext = 2;

    private readonly Stream _inner;
    private readonly Action? _onTransportWrite;

    // Orders the socket's writes with WriteFramesAsync's (the socket's own send lock does not cover the latter).
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _closeSent;
    private byte[]? _buffer;
    private int _buffered;
    private int _mode;
    private long _transportWrites;

    /// <summary>Wraps <paramref name="inner"/>, the upgraded connection (Kestrel's opaque stream, or an HTTP/2 stream).</summary>
    /// <param name="inner">The transport.</param>
    /// <param name="onTransportWrite">Called on every write handed to <paramref name="inner"/> (the endpoint's counter).</param>
    public CoalescingStream(Stream inner, Action? onTransportWrite = null)
    {
        _inner = inner;
        _onTransportWrite = onTransportWrite;
    }

    /// <summary>Writes handed to the transport so far (each is one flush, so one socket send on Kestrel).</summary>
    public long TransportWrites => Interlocked.Read(ref _transportWrites);

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>From now on writes are buffered, until the write after <see cref="FlushAtNextWrite"/>.</summary>
    public void BeginBatch() => Volatile.Write(ref _mode, Buffering);

    /// <summary>The next write (normally the batch's last frame) appends its bytes and writes everything buffered.</summary>
    public void FlushAtNextWrite() => Volatile.Write(ref _mode, FlushNext);

    /// <summary>
    /// Ends the batch if a failed send left it open: whatever is buffered goes out with the next write (a close frame),
    /// so nothing stays held back.
    /// </summary>
    public void EndBatch() => Interlocked.CompareExchange(ref _mode, FlushNext, Buffering);

    /// <summary>
    /// Whether a frame carrying <paramref name="payloadBytes"/> would be buffered (not written to the transport) in the
    /// batch open now: it then completes at once, so the socket's send needs no cancellation.
    /// </summary>
    public bool WouldBuffer(int payloadBytes) =>
        Volatile.Read(ref _mode) == Buffering && (long)_buffered + payloadBytes + FrameOverhead <= MaxBufferedBytes;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_writeLock.Wait(0, CancellationToken.None))
        {
            return WriteLockedSlowAsync(buffer, cancellationToken);
        }

        ValueTask write;
        try
        {
            write = WriteCoreAsync(buffer, cancellationToken);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }

        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            _writeLock.Release();
            return ValueTask.CompletedTask;
        }

        return ReleaseAfterAsync(write);
    }

    /// <summary>
    /// Frames <paramref name="batch"/> (one final text or binary frame per message) and hands the frames to the
    /// transport in one write, or in one write per <see cref="MaxBufferedBytes"/> and per larger message.
    /// </summary>
    /// <returns>The payload bytes written.</returns>
    /// <exception cref="WebSocketException">The socket has already written its close frame.</exception>
    public async ValueTask<long> WriteFramesAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _closeSent) != 0)
            {
                throw new WebSocketException(WebSocketError.InvalidState, "The WebSocket has sent its close frame; no data frame may follow it.");
            }

            long bytes = 0;
            foreach (var message in batch)
            {
                var payload = message.Payload;
                var finAndOpcode = message.IsBinary ? (byte)0x82 : (byte)0x81;
                var frame = (long)FrameHeaderLength(payload.Length) + payload.Length;
                if (_buffered > 0 && _buffered + frame > MaxBufferedBytes)
                {
                    await WriteBufferedAsync(cancellationToken).ConfigureAwait(false);
                }

                if (frame > MaxBufferedBytes)
                {
                    await WriteLargeFrameAsync(finAndOpcode, payload, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    AppendHeader(finAndOpcode, payload.Length);
                    Append(payload.Span);
                }

                bytes += payload.Length;
            }

            await WriteBufferedAsync(cancellationToken).ConfigureAwait(false);
            return bytes;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (IsCloseFrame(buffer.Span))
        {
            Volatile.Write(ref _closeSent, 1);
        }

        var mode = Volatile.Read(ref _mode);
        if (mode == Direct && _buffered == 0)
        {
            return WriteTransportAsync(buffer, cancellationToken);
        }

        if (_buffered + buffer.Length > MaxBufferedBytes)
        {
            return SpillAsync(buffer, mode, cancellationToken);
        }

        Append(buffer.Span);
        if (mode == Buffering)
        {
            return ValueTask.CompletedTask;
        }

        Volatile.Write(ref _mode, Direct);
        return WriteBufferedAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Inside a batch a no-op (the batch is flushed by its last write); otherwise the transport's flush.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _mode) != Direct || _buffered != 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // A buffer still rented (a batch cut short by an abort) is left to the GC, not returned: a write may still be
        // copying into it on another thread, and a pooled array must never be shared.
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Whether <paramref name="bytes"/> is one whole close frame as a server socket writes it: FIN and opcode 8,
    /// unmasked, the 7-bit length matching the rest (a close frame's payload is at most 125 bytes).
    /// </summary>
    private static bool IsCloseFrame(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 2 && bytes[0] == 0x88 && bytes[1] == bytes.Length - 2;

    private static int FrameHeaderLength(int payloadLength) => payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Appends an unmasked frame header (RFC 6455 section 5.2): FIN and opcode, then the payload length.</summary>
    private void AppendHeader(byte finAndOpcode, int payloadLength)
    {
        Span<byte> header = stackalloc byte[10];
        Append(header[..WriteHeader(header, finAndOpcode, payloadLength)]);
    }

    /// <summary>Writes an unmasked frame header: the 7-bit length, or 126 and 16 bits, or 127 and 64 bits, big-endian.</summary>
    /// <returns>The header's length.</returns>
    private static int WriteHeader(Span<byte> header, byte finAndOpcode, int payloadLength)
    {
        header[0] = finAndOpcode;
        if (payloadLength < 126)
        {
            header[1] = (byte)payloadLength;
            return 2;
        }

        if (payloadLength <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)payloadLength);
            return 4;
        }

        header[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)payloadLength);
        return 10;
    }

    /// <summary>A frame larger than the buffer's bound, header and payload in one array of its own: still one write.</summary>
    private async ValueTask WriteLargeFrameAsync(byte finAndOpcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = FrameHeaderLength(payload.Length);
        var frame = ArrayPool<byte>.Shared.Rent(header + payload.Length);
        try
        {
            WriteHeader(frame, finAndOpcode, payload.Length);
            payload.Span.CopyTo(frame.AsSpan(header));
            await WriteTransportAsync(frame.AsMemory(0, header + payload.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The transport's write has finished with the array, whether it succeeded or not.
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private async ValueTask WriteLockedSlowAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteCoreAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask ReleaseAfterAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var needed = _buffered + bytes.Length;
        if (_buffer is null || needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBufferedBytes, Math.Max(needed, Math.Max(InitialBufferBytes, (_buffer?.Length ?? 0) * 2))));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _buffered).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }

        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered = needed;
    }

    private ValueTask WriteTransportAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _transportWrites);
        _onTransportWrite?.Invoke();
        return _inner.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>Writes the buffered bytes and returns the buffer to the pool once the transport has taken them.</summary>
    private ValueTask WriteBufferedAsync(CancellationToken cancellationToken)
    {
        if (_buffered == 0)
        {
            return ValueTask.CompletedTask;
        }

        ValueTask write;
        try
        {
            write = WriteTransportAsync(_buffer.AsMemory(0, _buffered), cancellationToken);
        }
        catch
        {
            DropBuffer();
            throw;
        }

        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            ReleaseBuffer();
            return ValueTask.CompletedTask;
        }

        return AwaitBufferedAsync(write);
    }

    private async ValueTask AwaitBufferedAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch
        {
            DropBuffer();
            throw;
        }

        ReleaseBuffer();
    }

    /// <summary>
    /// Forgets bytes whose write failed: the transport may have taken some or all of them (a cancelled flush leaves
    /// them in Kestrel's pipe), so they are never written again, and the next frame (the close frame) goes alone. The
    /// array is left to the GC rather than pooled: a failed transport may still hold it, and the connection is
    /// finished either way.
    /// </summary>
    private void DropBuffer()
    {
        _buffer = null;
        _buffered = 0;
    }

    private async ValueTask SpillAsync(ReadOnlyMemory<byte> bytes, int mode, CancellationToken cancellationToken)
    {
        await WriteBufferedAsync(cancellationToken).ConfigureAwait(false);
        if (mode == Buffering && bytes.Length <= MaxBufferedBytes)
        {
            Append(bytes.Span);
            return;
        }

        if (mode == FlushNext)
        {
            Volatile.Write(ref _mode, Direct);
        }

        await WriteTransportAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private void ReleaseBuffer()
    {
        var buffer = _buffer;
        _buffer = null;
        _buffered = 0;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
