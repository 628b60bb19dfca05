using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Diagnostics;
using Friture.Streaming.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Friture.Streaming.Server.WebSockets;

/// <summary>
/// Streams to WebSocket clients at <c>ws://host:port/</c> (the seed's <c>WebSocketProtocol</c>), on ASP.NET Core Kestrel:
/// one text frame per JSON message, one binary frame per binary message.
/// </summary>
/// <remarks>
/// <para>
/// Clients choose data types and rate with <c>?types=pitch_tracker,levels&amp;rate=10</c> or a JSON control message
/// (see <c>docs/protocols.md</c>). Each client has its own bounded queue; a slow one never delays the others.
/// </para>
/// <para>
/// To serve the endpoint from an existing ASP.NET Core application instead of a private server, call
/// <c>app.MapFritureWebSocket("/ws", protocol)</c>; <see cref="StartAsync"/> then opens the endpoint without binding a port.
/// </para>
/// </remarks>
public sealed class WebSocketProtocol : StreamingProtocol
{
    /// <summary>The seed's default port, 8765.</summary>
    public const int DefaultPort = 8765;

    private readonly ClientHub _hub = new("ws");
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private KestrelHost? _server;

    /// <summary>Creates the protocol (the seed's <c>WebSocketProtocol(host='localhost', port=8765)</c>).</summary>
    /// <param name="host">Interface to bind (default <c>localhost</c>: local clients only).</param>
    /// <param name="port">Port (default 8765; 0 picks a free port at start).</param>
    /// <param name="options">Settings; validated here.</param>
    public WebSocketProtocol(string host = "localhost", int port = DefaultPort, WebSocketProtocolOptions? options = null)
        : base(host, port)
    {
        Options = options ?? new WebSocketProtocolOptions();
        Options.Validate();
        _logger = Options.LoggerFactory?.CreateLogger<WebSocketProtocol>() ?? NullLogger<WebSocketProtocol>.Instance;
        Endpoint = new WebSocketEndpoint(this, Options, _hub, _logger);
    }

    /// <inheritdoc/>
    public override string Name => "websocket";

    /// <summary>The settings.</summary>
    public WebSocketProtocolOptions Options { get; }

    /// <summary>Whether the endpoint is served by an application through <c>MapFritureWebSocket</c> rather than a private server.</summary>
    public bool IsMapped { get; private set; }

    internal WebSocketEndpoint Endpoint { get; }

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRunning)
            {
                return;
            }

            if (!IsMapped)
            {
                _server = await KestrelHost.StartAsync(Name, Host, Port, Options.Certificate, Options.LoggerFactory, Configure, cancellationToken)
                    .ConfigureAwait(false);
                Port = _server.Port;
            }

            IsRunning = true;
            Log.Started(_logger, Name, Host, Port);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsRunning)
            {
                return;
            }

            IsRunning = false;
            await _hub.CloseAllAsync(Options.CloseTimeout, cancellationToken).ConfigureAwait(false);
            if (_server is { } server)
            {
                _server = null;
                await server.DisposeAsync().ConfigureAwait(false);
            }

            Log.Stopped(_logger, Name);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc/>
    public override void Broadcast(StreamingData data, SerializationFormat format)
    {
        ArgumentNullException.ThrowIfNull(data);
        _hub.CountBroadcast();
        if (IsRunning)
        {
            _hub.Broadcast(data, format);
        }
    }

    /// <inheritdoc/>
    public override void SendData(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _hub.CountBroadcast();
        if (!IsRunning || _hub.IsEmpty)
        {
            return;
        }

        var encoded = MessageEncoder.EncodeText(message);
        _hub.SendToAll(encoded);
        encoded.Release();
    }

    /// <inheritdoc/>
    public override ProtocolStatistics GetStatistics() => _hub.GetStatistics(this, IsMapped ? 0 : Port);

    internal void MarkMapped()
    {
        ThrowIfRunning();
        IsMapped = true;
    }

    private void Configure(IApplicationBuilder app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = Options.KeepAliveInterval });
        app.Run(Endpoint.HandleAsync);
    }
}
