using Friture.Streaming.Protocols;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Friture.Streaming.Server.Sse;

/// <summary>
/// Streams HTTP Server-Sent Events at <c>http://host:port/</c> (<c>HTTPSSEProtocol</c> in the original Friture streaming API), on ASP.NET Core
/// Kestrel: unnamed events (<c>data: &lt;json&gt;</c>) so that <c>EventSource.onmessage</c> fires.
/// </summary>
/// <remarks>
/// <para>
/// Each event's <c>id:</c> is <c>&lt;data_type&gt;:&lt;sequence_number&gt;</c> (sequence numbers count per data type,
/// so the type makes the id unique); a client that reconnects with <c>Last-Event-ID</c> receives the messages it
/// missed while they are still in the replay buffer. SSE is text: messages broadcast in the binary format are sent
/// as JSON. Clients choose data types and rate with <c>?types=...&amp;rate=...</c>.
/// </para>
/// <para>
/// To serve the stream from an existing ASP.NET Core application, call <c>app.MapFritureSse("/events", protocol)</c>.
/// </para>
/// </remarks>
public sealed class HttpSseProtocol : StreamingProtocol
{
    /// <summary>The default port, 8768 (as in the original Friture streaming API).</summary>
    public const int DefaultPort = 8768;

    /// <summary>The last event of every stream when the server stops: a named event, so <c>onmessage</c> handlers do not see it.</summary>
    private static readonly byte[] StoppingEvent = "event: stopping\ndata: {\"type\":\"stopping\",\"reason\":\"server stopping\"}\n\n"u8.ToArray();

    private readonly ClientHub _hub = new("sse");
    private readonly Lock _gate = new();
    private readonly SseReplayBuffer? _replay;
    private readonly HttpEndpointHost _endpoint;
    private volatile bool _hadClients;

    /// <summary>Creates the protocol (<c>HTTPSSEProtocol(host='localhost', port=8768)</c> in the original Friture streaming API).</summary>
    /// <param name="host">Interface to bind (default <c>localhost</c>: local clients only).</param>
    /// <param name="port">Port (default 8768; 0 picks a free port at start).</param>
    /// <param name="options">Settings; validated here.</param>
    public HttpSseProtocol(string host = "localhost", int port = DefaultPort, HttpSseProtocolOptions? options = null)
        : base(host, port, options ??= new HttpSseProtocolOptions())
    {
        Options = options;
        _endpoint = new HttpEndpointHost(_hub);
        _hub.EncodingFailed = (message, ex) => OnError(ClientHub.DescribeEncodingFailure(Name, message, ex), ex);
        _replay = Options.ReplayBufferSize > 0 ? new SseReplayBuffer(Options.ReplayBufferSize) : null;
        Endpoint = new SseEndpoint(this, Options, _hub, Logger);
    }

    /// <inheritdoc/>
    public override string Name => "http_sse";

    /// <summary>The settings.</summary>
    public HttpSseProtocolOptions Options { get; }

    /// <summary>Whether the endpoint is served by an application through <c>MapFritureSse</c> rather than a private server.</summary>
    public bool IsMapped => _endpoint.IsMapped;

    internal SseEndpoint Endpoint { get; }

    /// <inheritdoc/>
    protected override async Task StartCoreAsync(CancellationToken cancellationToken) =>
        Port = await _endpoint.StartAsync(Name, Host, Port, Options.Certificate, Options.LoggerFactory, Options.AccessToken, Configure, cancellationToken)
            .ConfigureAwait(false);

    /// <inheritdoc/>
    protected override async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await _endpoint.StopAsync(Options.CloseTimeout, cancellationToken, OutboundMessage.Unpooled(MessageKind.Comment, StoppingEvent))
            .ConfigureAwait(false);

        lock (_gate)
        {
            _replay?.Clear();
        }
    }

    /// <inheritdoc/>
    /// <remarks>SSE is a text protocol: <paramref name="format"/> <see cref="SerializationFormat.Binary"/> is sent as JSON.</remarks>
    protected override void BroadcastCore(StreamingData data, SerializationFormat format)
    {
        if (!_hadClients && _hub.IsEmpty)
        {
            return;
        }

        if (_replay is null)
        {
            _hub.Broadcast(data, SerializationFormat.Json, forceFormat: true);
            return;
        }

        // The replay buffer keeps messages at the protocol's resolution, which most clients share.
        var message = MessageEncoder.Encode(PayloadReducer.Reduce(data, Options.Resolution), SerializationFormat.Json);
        lock (_gate)
        {
            _replay.Add(message);
            _hub.Broadcast(data, SerializationFormat.Json, message, Options.Resolution, forceFormat: true);
        }

        message.Release();
    }

    /// <inheritdoc/>
    /// <remarks>Each line of <paramref name="message"/> becomes a <c>data:</c> line of one unnamed event without an id.</remarks>
    protected override void SendDataCore(string message) => _hub.SendText(message);

    /// <inheritdoc/>
    protected override ProtocolStatistics GetStatisticsCore(ProtocolStatistics statistics) => _endpoint.GetStatistics(statistics);

    internal void MarkMapped()
    {
        ThrowIfRunning();
        _endpoint.MarkMapped();
    }

    /// <summary>Replays what the client missed (when asked) and registers it, atomically with respect to broadcasts.</summary>
    internal void Attach(ClientSession session, string lastEventId, byte[] replayMiss)
    {
        lock (_gate)
        {
            if (lastEventId.Length > 0 && _replay is not null && _replay.ReplayAfter(lastEventId, session) < 0)
            {
                session.Enqueue(OutboundMessage.Unpooled(MessageKind.Comment, replayMiss));
            }

            _hub.Add(session);
            _hadClients = true;
        }
    }

    private void Configure(IApplicationBuilder app) => app.Run(Endpoint.HandleAsync);
}
