using System.Net.WebSockets;
using Friture.Streaming.Server.Clients;

namespace Friture.Streaming.Server.WebSockets;

/// <summary>A WebSocket client: one text frame per JSON message, one binary frame per binary message, or a JSON array when batching.</summary>
internal sealed class WebSocketClientSession : ClientSession
{
    private readonly WebSocket _socket;
    private readonly PooledBufferWriter _batch = new(4096);

    public WebSocketClientSession(string clientId, string remoteEndPoint, ProtocolOptions options, ClientSubscription subscription, WebSocket socket)
        : base(clientId, remoteEndPoint, options, subscription) => _socket = socket;

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
