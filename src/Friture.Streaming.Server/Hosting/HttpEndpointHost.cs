using System.Security.Cryptography.X509Certificates;
using Friture.Streaming.Protocols;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Hosting;

/// <summary>
/// Where an HTTP protocol (WebSocket, SSE) is served: a private Kestrel server it starts and stops itself, or an
/// application's pipeline that mapped it (<c>MapFritureWebSocket</c>, <c>MapFritureSse</c>), which binds no port.
/// </summary>
internal sealed class HttpEndpointHost
{
    private readonly ClientHub _hub;
    private KestrelHost? _server;

    public HttpEndpointHost(ClientHub hub) => _hub = hub;

    public bool IsMapped { get; private set; }

    public void MarkMapped() => IsMapped = true;

    /// <summary>Starts the private server unless mapped.</summary>
    /// <returns>The port bound, or <paramref name="port"/> when mapped.</returns>
    public async Task<int> StartAsync(
        string protocolName,
        string host,
        int port,
        X509Certificate2? certificate,
        ILoggerFactory? loggerFactory,
        string? accessToken,
        Action<IApplicationBuilder> configure,
        CancellationToken cancellationToken)
    {
        if (IsMapped)
        {
            return port;
        }

        // The server logs request URLs, which may carry ?access_token=: its messages are redacted.
        var logging = loggerFactory is null ? null : new RedactingLoggerFactory(loggerFactory, accessToken is null ? [] : [accessToken]);
        _server = await KestrelHost.StartAsync(protocolName, host, port, certificate, logging, configure, cancellationToken)
            .ConfigureAwait(false);
        return _server.Port;
    }

    /// <summary>Closes the clients politely (their queues drain first, then <paramref name="farewell"/>), then stops the private server.</summary>
    public async Task StopAsync(TimeSpan closeTimeout, CancellationToken cancellationToken, OutboundMessage? farewell = null)
    {
        await _hub.CloseAllAsync(closeTimeout, cancellationToken, farewell).ConfigureAwait(false);
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The hub's counters and clients; the port reads 0 when mapped (the application owns it).</summary>
    public ProtocolStatistics GetStatistics(ProtocolStatistics statistics) =>
        _hub.GetStatistics(IsMapped ? statistics with { Port = 0 } : statistics);
}
