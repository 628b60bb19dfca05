using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Friture.Streaming.Server.Tests.Support;

/// <summary>An independent WebSocket client (ClientWebSocket) that collects text messages.</summary>
internal static class WsClient
{
    public static async Task<ClientWebSocket> ConnectAsync(int port, string query = "", Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/{query}"), Wait.Token());
        return socket;
    }

    /// <summary>Receives one whole message (text or binary) or null on close.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Bytes)?> ReceiveAsync(ClientWebSocket socket, CancellationToken? token = null)
    {
        var buffer = new byte[64 * 1024];
        using var stream = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, token ?? Wait.Token());
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            stream.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, stream.ToArray());
            }
        }
    }

    public static async Task<JsonDocument> ReceiveJsonAsync(ClientWebSocket socket)
    {
        var message = await ReceiveAsync(socket) ?? throw new InvalidOperationException("The server closed the connection.");
        return JsonDocument.Parse(message.Bytes);
    }

    public static Task SendTextAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, Wait.Token());
}
