using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>
/// friture-stream as a real process: the token never reaches its logs (it was in request URLs twice per connection at
/// --log-level information), and a DNS-rebinding Host gets neither the dashboard nor the streams.
/// </summary>
public sealed class CliSecurityTests
{
    private const string Token = "tok-7f3a9c1e5b";

    [Fact]
    public async Task LogLevelInformation_ClientsWithTheTokenInTheUrl_TokenInNoLogLine()
    {
        await using var cli = CliProcess.Start("--generate", "sine:440", "--port", "0", "--token", Token, "--view", "plain", "--interval", "0.5", "--log-level", "information");
        var port = await cli.PortAsync("Dashboard");
        using (var ws = new ClientWebSocket())
        {
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws?types=levels&access_token={Token}"), Wait.Token());
            var buffer = new byte[65536];
            await ws.ReceiveAsync(buffer, Wait.Token());
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Wait.Token());
        }

        using (var http = new HttpClient())
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/events?types=levels&access_token={Token}"), HttpCompletionOption.ResponseHeadersRead, Wait.Token());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Wait.UntilAsync(() => cli.Error.Contains("/events?types=levels&access_token=***", StringComparison.Ordinal), "the SSE request logged, redacted");
        await cli.SignalAsync("TERM");
        await cli.WaitForExitAsync();

        Assert.Contains("access_token=***", cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RebindingHost_DashboardWebSocketAndSse_400_LocalhostServed()
    {
        await using var cli = CliProcess.Start("--generate", "sine:440", "--port", "0", "--view", "plain", "--interval", "0.5", "--log-level", "error");
        var port = await cli.PortAsync("Dashboard");
        var evil = $"evil.example:{port}";

        var dashboard = await RequestAsync(port, $"GET / HTTP/1.1\r\nHost: {evil}\r\nConnection: close\r\n\r\n");
        var events = await RequestAsync(port, $"GET /events HTTP/1.1\r\nHost: {evil}\r\nOrigin: http://{evil}\r\nConnection: close\r\n\r\n");
        var upgrade = await RequestAsync(port,
            $"GET /ws HTTP/1.1\r\nHost: {evil}\r\nOrigin: http://{evil}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        var local = await RequestAsync(port, $"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", dashboard, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", events, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", upgrade, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", local, StringComparison.Ordinal);
    }

    /// <summary>Sends a raw request and returns the status line and headers.</summary>
    private static async Task<string> RequestAsync(int port, string request)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, port, Wait.Token());
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Wait.Token());
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && (read = await stream.ReadAsync(buffer, Wait.Token())) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
