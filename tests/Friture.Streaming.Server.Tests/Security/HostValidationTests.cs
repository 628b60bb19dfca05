using System.Net;
using System.Net.Sockets;
using System.Text;
using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Server.Tests.Security;

/// <summary>
/// DNS rebinding: a page on evil.example re-pointed at 127.0.0.1 sends Host and Origin both evil.example:port, which the
/// old same-origin rule accepted (WebSocket 101, SSE 200 with a matching Access-Control-Allow-Origin). Raw HTTP requests,
/// so the test controls every header.
/// </summary>
public sealed class HostValidationTests
{
    [Fact]
    public async Task WebSocket_RebindingHostAndOrigin_400NoUpgrade()
    {
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());

        var response = await SendAsync(protocol.Port, UpgradeRequest($"evil.example:{protocol.Port}"));

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("Host 'evil.example:", response, StringComparison.Ordinal);
        Assert.Equal(1, protocol.GetStatistics().RejectedConnections);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("studio.localhost")]
    [InlineData("studio.lan")]
    public async Task WebSocket_LocalOrAllowedHost_Upgrades(string host)
    {
        var options = new WebSocketProtocolOptions();
        options.AllowedHosts.Add("studio.lan");
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());

        var response = await SendAsync(protocol.Port, UpgradeRequest($"{host}:{protocol.Port}"), headersOnly: true);

        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sse_RebindingHostAndOrigin_400NoStreamNoCorsHeader()
    {
        await using var protocol = new HttpSseProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        var host = $"evil.example:{protocol.Port}";

        var response = await SendAsync(protocol.Port,
            $"GET /?types=levels HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.DoesNotContain("Access-Control-Allow-Origin", response, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("text/event-stream", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sse_AnyHostAllowedWithStar_Streams()
    {
        var options = new HttpSseProtocolOptions();
        options.AllowedHosts.Add("*");
        await using var protocol = new HttpSseProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());

        var response = await SendAsync(protocol.Port,
            $"GET /?types=levels HTTP/1.1\r\nHost: anything.example:{protocol.Port}\r\nAccept: text/event-stream\r\n\r\n", headersOnly: true);

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
    }

    private static string UpgradeRequest(string host) =>
        $"GET /?types=levels HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static async Task<string> SendAsync(int port, string request, bool headersOnly = false)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, port, Wait.Token());
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Wait.Token());
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, Wait.Token())) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var all = text.ToString();
            var end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && (headersOnly || IsComplete(all, end + 4)))
            {
                break;
            }
        }

        return text.ToString();
    }

    /// <summary>Whether the response has its whole body, by Content-Length or the last chunk (a refusal keeps the connection alive).</summary>
    private static bool IsComplete(string response, int bodyStart)
    {
        const string Header = "Content-Length: ";
        var at = response.IndexOf(Header, StringComparison.OrdinalIgnoreCase);
        if (at < 0 || at > bodyStart)
        {
            return response.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        }

        var value = response[(at + Header.Length)..response.IndexOf('\r', at)];
        return Encoding.UTF8.GetByteCount(response[bodyStart..]) >= int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
