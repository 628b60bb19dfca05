using System.Net.WebSockets;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Server.Tests.WebSockets;

/// <summary>The write-coalescing stream on its own, over a transport stream that records each write and flush.</summary>
public sealed class CoalescingStreamTests
{
    [Fact]
    public async Task Batch_FramesReachTheTransportAsOneWriteInOrder_ThenWritesPassThroughAgain()
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport);

        stream.BeginBatch();
        await stream.WriteAsync(Bytes(1, 10));
        await stream.FlushAsync();
        await stream.WriteAsync(Bytes(2, 20));
        await stream.FlushAsync();
        Assert.Empty(transport.Writes);
        Assert.Equal(0, transport.Flushes);
        stream.FlushAtNextWrite();
        await stream.WriteAsync(Bytes(3, 30));
        await stream.FlushAsync();
        stream.EndBatch();

        var write = Assert.Single(transport.Writes);
        Assert.Equal([.. Bytes(1, 10), .. Bytes(2, 20), .. Bytes(3, 30)], write);
        Assert.Equal(1, transport.Flushes);
        Assert.Equal(1, stream.TransportWrites);

        await stream.WriteAsync(Bytes(4, 5));
        await stream.FlushAsync();
        Assert.Equal(2, transport.Writes.Count);
        Assert.Equal(Bytes(4, 5), transport.Writes[1]);
        Assert.Equal(2, transport.Flushes);
    }

    [Fact]
    public async Task ControlFrameWrittenFirstAfterFlushAtNextWrite_WritesTheBatchWithIt_AndTheLastFrameFollows()
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport);

        stream.BeginBatch();
        await stream.WriteAsync(Bytes(1, 10));
        stream.FlushAtNextWrite();
        await stream.WriteAsync(Bytes(0xA, 2)); // a pong that got the socket's send lock before the batch's last frame
        await stream.WriteAsync(Bytes(3, 30));
        stream.EndBatch();

        Assert.Equal(2, transport.Writes.Count);
        Assert.Equal([.. Bytes(1, 10), .. Bytes(0xA, 2)], transport.Writes[0]);
        Assert.Equal(Bytes(3, 30), transport.Writes[1]);
    }

    [Fact]
    public async Task BatchCutShort_EndBatch_SendsWhatWasBufferedWithTheNextWrite()
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport);

        stream.BeginBatch();
        await stream.WriteAsync(Bytes(1, 10));
        stream.EndBatch(); // the batch's next send failed before its last frame
        Assert.Empty(transport.Writes);
        await stream.WriteAsync(Bytes(8, 4)); // the close frame

        Assert.Equal([.. Bytes(1, 10), .. Bytes(8, 4)], Assert.Single(transport.Writes));
        await stream.WriteAsync(Bytes(9, 1));
        Assert.Equal(2, transport.Writes.Count);
    }

    [Fact]
    public async Task Batch_LargerThanTheBound_IsWrittenInPiecesOfAtMostTheBound_AndOversizeFramesDirectly()
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport);
        var frames = new List<byte[]>
        {
            Bytes(1, 100_000),
            Bytes(2, 100_000),
            Bytes(3, 100_000), // does not fit behind the first two: they are written first
            Bytes(4, CoalescingStream.MaxBufferedBytes + 1), // larger than the bound: the third, then this one directly
            Bytes(5, 1_000),
            Bytes(6, 1_000),
        };

        stream.BeginBatch();
        for (var i = 0; i < frames.Count; i++)
        {
            if (i == frames.Count - 1)
            {
                stream.FlushAtNextWrite();
            }

            await stream.WriteAsync(frames[i]);
        }

        stream.EndBatch();

        Assert.Equal([200_000, 100_000, CoalescingStream.MaxBufferedBytes + 1, 2_000], transport.Writes.Select(static w => w.Length));
        Assert.All(transport.Writes.Take(2), w => Assert.True(w.Length <= CoalescingStream.MaxBufferedBytes));
        Assert.Equal(frames.SelectMany(static f => f), transport.Writes.SelectMany(static w => w));
    }

    [Fact]
    public async Task PendingTransportWrite_IsAwaited_NotSkipped()
    {
        var transport = new RecordingStream { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var stream = new CoalescingStream(transport);

        stream.BeginBatch();
        await stream.WriteAsync(Bytes(1, 10));
        stream.FlushAtNextWrite();
        var last = stream.WriteAsync(Bytes(2, 10)).AsTask();

        Assert.False(last.IsCompleted);
        transport.Gate.SetResult();
        await last;
        Assert.Single(transport.Writes);
    }

    [Theory]
    [InlineData(7, 1_100)]
    [InlineData(32, 1_100)]
    [InlineData(32, 9_000)]
    [InlineData(3, 200_000)]
    public async Task ServerWebSocketOverTheStream_ABatchParsesBackIntoTheSameMessages(int count, int size)
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport);
        using var server = System.Net.WebSockets.WebSocket.CreateFromStream(stream, new System.Net.WebSockets.WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        using var abort = new CancellationTokenSource();
        var messages = Enumerable.Range(0, count).Select(i => Bytes((byte)('a' + (i % 26)), size + i)).ToArray();

        stream.BeginBatch();
        for (var i = 0; i < count; i++)
        {
            if (i == count - 1)
            {
                stream.FlushAtNextWrite();
            }

            await server.SendAsync(messages[i], System.Net.WebSockets.WebSocketMessageType.Text, true, abort.Token);
        }

        stream.EndBatch();

        Assert.Equal(size * count <= CoalescingStream.MaxBufferedBytes ? 1 : transport.Writes.Count, transport.Writes.Count);
        using var wire = new MemoryStream(transport.Writes.SelectMany(static w => w).ToArray());
        using var client = System.Net.WebSockets.WebSocket.CreateFromStream(wire, new System.Net.WebSockets.WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var buffer = new byte[300_000];
        foreach (var expected in messages)
        {
            var received = new MemoryStream();
            System.Net.WebSockets.ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                received.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            Assert.Equal(expected, received.ToArray());
        }
    }

    [Theory]
    [InlineData(new[] { 10, 125, 126, 127 }, 1)]
    [InlineData(new[] { 65_535, 65_536, 9_000 }, 1)]
    [InlineData(new[] { 200_000, 100_000, 300_000, 10 }, 4)] // over the bound: 200k, then 100k, then 300k alone, then 10
    public async Task WriteFramesAsync_ABatchParsesBackIntoTheSameMessages_InTheFewestWrites(int[] sizes, int expectedWrites)
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport);
        var messages = sizes.Select((size, i) => OutboundMessage.Unpooled(MessageKind.Data, Bytes((byte)('a' + i), size), isBinary: i % 2 == 1)).ToArray();

        var bytes = await stream.WriteFramesAsync(messages, CancellationToken.None);

        Assert.Equal(sizes.Sum(), bytes);
        Assert.Equal(expectedWrites, transport.Writes.Count);
        Assert.Equal(expectedWrites, stream.TransportWrites);
        Assert.All(transport.Writes, w => Assert.True(w.Length <= CoalescingStream.MaxBufferedBytes || w.Length == 10 + 300_000));
        using var wire = new MemoryStream(transport.Writes.SelectMany(static w => w).ToArray());
        using var client = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var buffer = new byte[400_000];
        foreach (var expected in messages)
        {
            var received = new MemoryStream();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                received.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            Assert.Equal(expected.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, result.MessageType);
            Assert.Equal(expected.Payload.ToArray(), received.ToArray());
        }

        Assert.Equal(wire.Length, wire.Position);
    }

    [Fact]
    public async Task WriteFramesAsync_AfterTheSocketsCloseFrame_RefusesAndWritesNothing()
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport);
        using var server = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        await stream.WriteFramesAsync([OutboundMessage.Unpooled(MessageKind.Data, Bytes(1, 50))], CancellationToken.None);

        await server.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", CancellationToken.None);
        var writes = transport.Writes.Count;
        var refused = await Assert.ThrowsAsync<WebSocketException>(
            () => stream.WriteFramesAsync([OutboundMessage.Unpooled(MessageKind.Data, Bytes(2, 50))], CancellationToken.None).AsTask());

        Assert.Equal(WebSocketError.InvalidState, refused.WebSocketErrorCode);
        Assert.Equal(writes, transport.Writes.Count);
        Assert.Equal(0x88, transport.Writes[^1][0]);
    }

    [Fact]
    public async Task WriteFramesAsync_TheSocketsOwnFrame_WaitsForAPendingBatch_NeverInterleaves()
    {
        var transport = new RecordingStream { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var stream = new CoalescingStream(transport);
        using var server = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });

        var batch = stream.WriteFramesAsync([OutboundMessage.Unpooled(MessageKind.Data, Bytes(1, 300)), OutboundMessage.Unpooled(MessageKind.Data, Bytes(2, 300))], CancellationToken.None).AsTask();
        var close = server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        Assert.False(batch.IsCompleted);
        Assert.False(close.IsCompleted);
        Assert.Single(transport.Writes);
        transport.Gate.SetResult();
        await batch;
        await close;

        Assert.Equal(2, transport.Writes.Count);
        Assert.Equal(2 * (4 + 300), transport.Writes[0].Length);
        Assert.Equal(0x88, transport.Writes[1][0]);
    }

    [Fact]
    public async Task FailedTransportWrite_DropsItsBytes_TheNextFrameGoesAlone()
    {
        var transport = new RecordingStream { FailWrites = 1 };
        var stream = new CoalescingStream(transport);

        await Assert.ThrowsAsync<IOException>(() => stream.WriteFramesAsync(
            [OutboundMessage.Unpooled(MessageKind.Data, Bytes(1, 50)), OutboundMessage.Unpooled(MessageKind.Data, Bytes(2, 50))],
            CancellationToken.None).AsTask());
        await stream.WriteAsync(Bytes(9, 4)); // the socket's next frame (a close frame, say)

        Assert.Equal(2, transport.Writes.Count);
        Assert.Equal(2 * (2 + 50), transport.Writes[0].Length); // the failed write, as the transport saw it
        Assert.Equal(Bytes(9, 4), transport.Writes[1]); // not the batch again
    }

    private static byte[] Bytes(byte value, int count) => Enumerable.Repeat(value, count).ToArray();

    private sealed class RecordingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public int Flushes { get; private set; }

        public TaskCompletionSource? Gate { get; init; }

        /// <summary>How many of the next writes record their bytes and then fail (a connection reset part way).</summary>
        public int FailWrites { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            if (FailWrites > 0)
            {
                FailWrites--;
                await Task.Yield();
                throw new IOException("Connection reset by peer.");
            }

            if (Gate is not null)
            {
                await Gate.Task;
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }

        public override void Flush() => Flushes++;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(buffer.AsSpan(offset, count).ToArray());
    }
}
