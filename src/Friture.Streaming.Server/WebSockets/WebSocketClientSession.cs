using System.Net.WebSockets;
using Friture.Streaming.Server.Clients;

namespace Friture.Streaming.Server.WebSockets;

/// <summary>
/// A WebSocket client: one text frame per JSON message, one binary frame per binary message, or a JSON array when batching.
/// The frames of one batch reach the transport in one write when the socket sits on a <see cref="CoalescingStream"/>:
/// framed by the session itself when the connection has no permessage-deflate, otherwise by the socket.
/// </summary>
internal sealed class WebSocketClientSession : ClientSession
{
    private readonly WebSocket _socket;
    private readonly CoalescingStream? _transport;
    private readonly bool _framesDirect;
    private readonly PooledBufferWriter _batch = new(4096);

    // transport: the stream under the socket, or null where the socket writes each frame itself. framesDirect: the
    // session frames data itself into transport (no permessage-deflate on this connection, whose frames only the socket
    // can compress).
    public WebSocketClientSession(
        string clientId,
        string remoteEndPoint,
        ProtocolOptions options,
        ClientSubscription subscription,
        WebSocket socket,
        CoalescingStream? transport = null,
        bool framesDirect = false)
        : base(clientId, remoteEndPoint, options, subscription)
    {
        _socket = socket;
        _transport = transport;
        _framesDirect = framesDirect && transport is not null;
    }

    /// <summary>Whether this session frames its messages itself (one transport write per batch, no per-message socket send).</summary>
    public bool FramesDirect => _framesDirect;

    protected override async ValueTask<long> WriteAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
    {
        if (batch.Count > 1 && Subscription.Batch && AllJsonData(batch))
        {
            _batch.Clear();
            _batch.Write("["u8);
            for (var i = 0; i < batch.Count; i++)
            {
                if (i > 0)
                {
                    _batch.Write(","u8);
                }

                _batch.Write(batch[i].Payload.Span);
            }

            _batch.Write("]"u8);
            await _socket.SendAsync(_batch.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            return _batch.WrittenCount;
        }

        if (_framesDirect)
        {
            // Outside Open and CloseReceived the socket would refuse a send too; the stream refuses after the close frame.
            if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                throw new WebSocketException(WebSocketError.InvalidState, $"The WebSocket is {_socket.State}; no data can be sent.");
            }

            return await _transport!.WriteFramesAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        if (batch.Count == 1 || _transport is null)
        {
            return await SendEachAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        // The frames go into the stream's buffer as the socket writes them; the last one writes them all. A failure part
        // way leaves the rest to go out before the next frame (the close frame), never held back.
        _transport.BeginBatch();
        try
        {
            long bytes = 0;
            var last = batch.Count - 1;
            for (var i = 0; i <= last; i++)
            {
                if (i == last)
                {
                    _transport.FlushAtNextWrite();
                }

                var message = batch[i];
                var type = message.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;

                // A frame that only goes into the stream's buffer completes at once: sent without a token, it takes the
                // socket's synchronous path (no cancellation registration, no state machine). The frame that writes
                // the batch, or one that spills, can wait on the client and stays cancellable.
                var token = i < last && _transport.WouldBuffer(message.Length) ? CancellationToken.None : cancellationToken;
                await _socket.SendAsync(message.Payload, type, endOfMessage: true, token).ConfigureAwait(false);
                bytes += message.Length;
            }

            return bytes;
        }
        finally
        {
            _transport.EndBatch();
        }
    }

    private async ValueTask<long> SendEachAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
    {
        long bytes = 0;
        foreach (var message in batch)
        {
            var type = message.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            await _socket.SendAsync(message.Payload, type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            bytes += message.Length;
        }

        return bytes;
    }

    private static bool AllJsonData(IReadOnlyList<OutboundMessage> batch)
    {
        foreach (var message in batch)
        {
            if (message.Kind != MessageKind.Data || message.IsBinary)
            {
                return false;
            }
        }

        return true;
    }
}
