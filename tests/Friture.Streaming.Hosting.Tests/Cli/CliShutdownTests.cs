using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>
/// friture-stream stopping with real clients connected (WebSocket, SSE, TCP) against the real process and Kestrel:
/// capture stops first, WebSocket clients get 1001 with a reason, SSE streams end with a final event, TCP gets FIN, and
/// the process exits 0. Before the fix the web server waited its 10 s shutdown timeout and reset every stream (1006).
/// </summary>
public sealed class CliShutdownTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signal_ClientsConnected_ClosedProperlyAndExitZero(string signal)
    {
        await using var cli = CliProcess.Start("--generate", "sine:440", "--port", "0", "--tcp", "--tcp-port", "0", "--view", "plain", "--interval", "0.5", "--log-level", "error");
        var port = await cli.PortAsync("Dashboard");
        var tcpPort = await cli.PortAsync("TCP");
        var ws = await WebSocketClient.ConnectAsync(port);
        var sse = await SseClient.ConnectAsync(port);
        var tcp = await TcpStreamClient.ConnectAsync(tcpPort);
        await Wait.UntilAsync(() => ws.Messages > 0 && sse.Events > 0 && tcp.Bytes > 0, "a message on each of the three streams");

        await cli.SignalAsync(signal);

        var (status, reason) = await ws.Closed.WaitAsync(Wait.Token());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("server stopping", reason);
        var tail = await sse.Ended.WaitAsync(Wait.Token());
        Assert.EndsWith("event: stopping\ndata: {\"type\":\"stopping\",\"reason\":\"server stopping\"}\n\n", tail, StringComparison.Ordinal);
        Assert.True(await tcp.EndedWithFin.WaitAsync(Wait.Token()), "the TCP stream should end with FIN (read returns 0), not a reset");
        await cli.WaitForExitAsync();
        Assert.True(cli.ExitCode == 0, $"exit {cli.ExitCode}: {cli.Error}");
        Assert.Contains("friture-stream: stopping (interrupted)", cli.Output, StringComparison.Ordinal);
        Assert.Matches(@"stopped after [\d.]+ s of audio, .* 0 dropped \(stop took [\d.]+ s\)", cli.Output);
    }

    [Fact]
    public async Task Duration_ClientConnected_AudioStopsAtTheDurationNotAfterTheWebServerTimeout()
    {
        const double Duration = 12;
        await using var cli = CliProcess.Start("--generate", "sine:440", "--port", "0", "--duration", "12", "--view", "plain", "--interval", "0.5", "--log-level", "error");
        var port = await cli.PortAsync("Dashboard");
        var ws = await WebSocketClient.ConnectAsync(port);
        await Wait.UntilAsync(() => ws.Messages > 0 || cli.HasExited, "a WebSocket message");
        Assert.True(ws.Messages > 0, "the client should be connected before the duration ends");

        var (status, _) = await ws.Closed.WaitAsync(Wait.Token());
        await cli.WaitForExitAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal(0, cli.ExitCode);
        Assert.Contains("stopping (duration reached)", cli.Output, StringComparison.Ordinal);

        // Capture stops when the duration ends; before the fix it ran on while the web server waited 10 s for the client.
        Assert.InRange(cli.AudioSeconds(), Duration - 3, Duration + 3);
    }

    private sealed class WebSocketClient
    {
        private readonly ClientWebSocket _socket = new();
        private int _messages;

        public int Messages => Volatile.Read(ref _messages);

        public Task<(WebSocketCloseStatus? Status, string? Reason)> Closed { get; private set; } = null!;

        public static async Task<WebSocketClient> ConnectAsync(int port)
        {
            var client = new WebSocketClient();
            await client._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws?types=levels"), Wait.Token());
            client.Closed = client.ReceiveAsync();
            return client;
        }

        private async Task<(WebSocketCloseStatus?, string?)> ReceiveAsync()
        {
            var buffer = new byte[1 << 16];
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return (result.CloseStatus, result.CloseStatusDescription);
                }

                if (result.EndOfMessage)
                {
                    Interlocked.Increment(ref _messages);
                }
            }
        }
    }

    private sealed class SseClient
    {
        private readonly StringBuilder _text = new();
        private int _events;

        public int Events => Volatile.Read(ref _events);

        public Task<string> Ended { get; private set; } = null!;

        public static async Task<SseClient> ConnectAsync(int port)
        {
            var client = new SseClient();
            var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/events?types=levels"), HttpCompletionOption.ResponseHeadersRead, Wait.Token());
            response.EnsureSuccessStatusCode();
            var stream = await response.Content.ReadAsStreamAsync(Wait.Token());
            client.Ended = client.ReadAsync(stream, http);
            return client;
        }

        private async Task<string> ReadAsync(Stream stream, HttpClient http)
        {
            using (http)
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    _text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    Volatile.Write(ref _events, CountEvents());
                }

                var text = _text.ToString();
                return text[Math.Max(0, text.Length - 200)..];
            }
        }

        private int CountEvents()
        {
            var count = 0;
            var text = _text.ToString();
            for (var i = text.IndexOf("data: ", StringComparison.Ordinal); i >= 0; i = text.IndexOf("data: ", i + 1, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }

    private sealed class TcpStreamClient
    {
        private long _bytes;

        public long Bytes => Interlocked.Read(ref _bytes);

        public Task<bool> EndedWithFin { get; private set; } = null!;

        public static async Task<TcpStreamClient> ConnectAsync(int port)
        {
            var client = new TcpStreamClient();
            var tcp = new TcpClient();
            await tcp.ConnectAsync("localhost", port, Wait.Token());
            client.EndedWithFin = client.ReadAsync(tcp);
            return client;
        }

        private async Task<bool> ReadAsync(TcpClient tcp)
        {
            using (tcp)
            {
                var stream = tcp.GetStream();
                var buffer = new byte[1 << 16];
                try
                {
                    int read;
                    while ((read = await stream.ReadAsync(buffer)) > 0)
                    {
                        Interlocked.Add(ref _bytes, read);
                    }

                    return true;
                }
                catch (IOException)
                {
                    return false;
                }
            }
        }
    }
}
