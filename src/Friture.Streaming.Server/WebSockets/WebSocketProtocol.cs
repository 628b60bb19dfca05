using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Friture.Streaming.Server.WebSockets;

/// <summary>
/// Streams to WebSocket clients at <c>ws://host:port/</c> (<c>WebSocketProtocol</c> in the original Friture streaming API), on ASP.NET Core Kestrel:
/// one text frame per JSON message, one binary frame per binary message.
/// </summary>
/// <remarks>
/// <para>
/// Clients choose data types and rate with <c>?types=pitch_tracker,levels&amp;rate=10</c> or a JSON control message
/// (see <c>docs/protocols.md</c>). Each client has its own bounded queue; a slow one never delays the others.
/// </para>
/// <para>
/// To serve the endpoint from an existing ASP.NET Core application instead of a private server, call
/// <c>app.MapFritureWebSocket("/ws", protocol)</c>; <see cref="StreamingProtocol.StartAsync"/> then opens the endpoint without binding a port.
/// </para>
/// </remarks>
public sealed class WebSocketProtocol : StreamingProtocol
{
    /// <summary>The default port, 8765 (as in the original Friture streaming API).</summary>
    public const int DefaultPort = 8765;

    private readonly ClientHub _hub = new("ws");
    private readonly HttpEndpointHost _endpoint;

    /// <summary>Creates the protocol (<c>WebSocketProtocol(host='localhost', port=8765)</c> in the original Friture streaming API).</summary>
    /// <param name="host">Interface to bind (default <c>localhost</c>: local clients only).</param>
    /// <param name="port">Port (default 8765; 0 picks a free port at start).</param>
    /// <param name="options">Settings; validated here.</param>
    public WebSocketProtocol(string host = "localhost", int port = DefaultPort, WebSocketProtocolOptions? options = null)
        : base(host, port, options ??= new WebSocketProtocolOptions())
    {
        Options = options;
        _endpoint = new HttpEndpointHost(_hub);
        _hub.EncodingFailed = (message, ex) => OnError(ClientHub.DescribeEncodingFailure(Name, message, ex), ex);
        Endpoint = new WebSocketEndpoint(this, Options, _hub, Logger);
    }

    /// <inheritdoc/>
    public override string Name => "websocket";

    /// <summary>The settings.</summary>
    public WebSocketProtocolOptions Options { get; }

    /// <summary>Whether the endpoint is served by an application through <c>MapFritureWebSocket</c> rather than a private server.</summary>
    public bool IsMapped => _endpoint.IsMapped;

    internal WebSocketEndpoint Endpoint { get; }

    /// <inheritdoc/>
    protected override async Task StartCoreAsync(CancellationToken cancellationToken) =>
        Port = await _endpoint.StartAsync(Name, Host, Port, Options.Certificate, Options.LoggerFactory, Options.AccessToken, Configure, cancellationToken)
            .ConfigureAwait(false);

    /// <inheritdoc/>
    protected override Task StopCoreAsync(CancellationToken cancellationToken) => _endpoint.StopAsync(Options.CloseTimeout, cancellationToken);

    /// <inheritdoc/>
    protected override void BroadcastCore(StreamingData data, SerializationFormat format) => _hub.Broadcast(data, format);

    /// <inheritdoc/>
    protected override void SendDataCore(string message) => _hub.SendText(message);

    /// <inheritdoc/>
    protected override ProtocolStatistics GetStatisticsCore(ProtocolStatistics statistics) => _endpoint.GetStatistics(statistics);

    internal void MarkMapped()
    {
        ThrowIfRunning();
        _endpoint.MarkMapped();
    }

    private void Configure(IApplicationBuilder app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = Options.KeepAliveInterval });
        app.Run(Endpoint.HandleAsync);
    }
}
