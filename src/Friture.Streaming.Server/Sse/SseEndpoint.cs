using System.Globalization;
using System.Text;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Diagnostics;
using Friture.Streaming.Server.Hosting;
using Friture.Streaming.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Sse;

/// <summary>
/// The SSE request handler: checks and CORS, then an event stream fed by the client's queue, with keep-alive comments
/// and Last-Event-ID replay. Used by the self-hosted server and by <c>MapFritureSse</c>.
/// </summary>
internal sealed class SseEndpoint
{
    private static readonly byte[] KeepAliveBytes = ": keep-alive\n\n"u8.ToArray();
    private static readonly byte[] ReplayMissBytes = ": last-event-id not in the replay buffer; resuming with new messages\n\n"u8.ToArray();

    private readonly HttpSseProtocol _protocol;
    private readonly HttpSseProtocolOptions _options;
    private readonly ClientHub _hub;
    private readonly AccessTokenValidator _token;
    private readonly OriginPolicy _origins;
    private readonly HostPolicy _hosts;
    private readonly bool _anyOrigin;
    private readonly ILogger _logger;
    private readonly byte[] _openingBytes;

    public SseEndpoint(HttpSseProtocol protocol, HttpSseProtocolOptions options, ClientHub hub, ILogger logger)
    {
        _protocol = protocol;
        _options = options;
        _hub = hub;
        _logger = logger;
        _token = new AccessTokenValidator(options.AccessToken);
        _origins = new OriginPolicy(options.AllowedOrigins);
        _hosts = new HostPolicy(options.AllowedHosts);
        _anyOrigin = options.AllowedOrigins.Contains("*");
        var retry = options.RetryInterval > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"retry: {(long)options.RetryInterval.TotalMilliseconds}\n")
            : string.Empty;
        _openingBytes = Encoding.ASCII.GetBytes(retry + ": friture stream\n\n");
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var remote = HttpRejection.RemoteEndPoint(context);
        if (!_hosts.IsAllowed(request.Host, _protocol.IsMapped ? null : _protocol.Host))
        {
            await RejectAsync(context, remote, StatusCodes.Status400BadRequest,
                $"Host '{request.Host}' is not allowed; add it to AllowedHosts (--allowed-host) if clients really use that name.").ConfigureAwait(false);
            return;
        }

        var originAllowed = _origins.IsAllowed(request, out var origin);
        if (originAllowed && origin.Length > 0)
        {
            response.Headers.AccessControlAllowOrigin = _anyOrigin ? "*" : origin;
            response.Headers.Vary = "Origin";
        }

        if (HttpMethods.IsOptions(request.Method))
        {
            response.StatusCode = originAllowed ? StatusCodes.Status204NoContent : StatusCodes.Status403Forbidden;
            response.Headers.AccessControlAllowMethods = "GET";
            response.Headers.AccessControlAllowHeaders = "Authorization, Last-Event-ID, Cache-Control";
            return;
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            response.Headers.Allow = "GET, OPTIONS";
            await RejectAsync(context, remote, StatusCodes.Status405MethodNotAllowed, "The event stream is read with GET.").ConfigureAwait(false);
            return;
        }

        if (!_protocol.IsRunning)
        {
            await RejectAsync(context, remote, StatusCodes.Status503ServiceUnavailable, "The http_sse protocol is not running.").ConfigureAwait(false);
            return;
        }

        if (!originAllowed)
        {
            await RejectAsync(context, remote, StatusCodes.Status403Forbidden, $"Origin '{origin}' is not allowed.").ConfigureAwait(false);
            return;
        }

        var query = request.Query;
        if (!_token.IsValid(request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, query["access_token"].ToString()))
        {
            await RejectAsync(context, remote, StatusCodes.Status401Unauthorized, "A valid bearer token is required.").ConfigureAwait(false);
            return;
        }

        if (!SubscriptionParser.TryParseQuery(query, allowBatch: false, allowBinary: false, out var subscription, out var error))
        {
            await RejectAsync(context, remote, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        var address = context.Connection.RemoteIpAddress;
        if (await _hub.AcquireSlotAsync(address, _options, _protocol.Name).ConfigureAwait(false) is { } refusal)
        {
            await RejectAsync(context, remote, StatusCodes.Status503ServiceUnavailable, refusal).ConfigureAwait(false);
            return;
        }

        var slotHeld = true;
        try
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            var session = new SseClientSession(_hub.NextClientId(), remote, _options, subscription, response.BodyWriter) { Address = address };
            session.Enqueue(OutboundMessage.Unpooled(MessageKind.Comment, _openingBytes));
            var lastEventId = request.Headers["Last-Event-ID"].ToString();
            if (lastEventId.Length == 0)
            {
                lastEventId = query["last_event_id"].ToString();
            }

            _protocol.Attach(session, lastEventId, ReplayMissBytes);
            Log.ClientConnected(_logger, _protocol.Name, session.ClientId, remote);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(session.Aborted);
            using var link = context.RequestAborted.Register(static s => ((ClientSession)s!).Abort(), session);
            var keepAlive = KeepAliveAsync(session, stop.Token);
            try
            {
                await session.RunSendLoopAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
            {
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
                _hub.Remove(session);
                _hub.ReleaseSlot(address);
                slotHeld = false;
                session.MarkClosed();
                Log.ClientDisconnected(_logger, _protocol.Name, session);
            }

            if (session.Evicted)
            {
                Log.ClientEvicted(_logger, _protocol.Name, session.ClientId);
                context.Abort();
            }
            else if (session.Overflowed)
            {
                Log.ClientOverflowed(_logger, _protocol.Name, session.ClientId);
                context.Abort();
            }
        }
        finally
        {
            if (slotHeld)
            {
                _hub.ReleaseSlot(address);
            }
        }
    }

    private async Task KeepAliveAsync(ClientSession session, CancellationToken cancellationToken)
    {
        if (_options.KeepAliveInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.KeepAliveInterval, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                session.Enqueue(OutboundMessage.Unpooled(MessageKind.Comment, KeepAliveBytes));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task RejectAsync(HttpContext context, string remote, int status, string reason)
    {
        _hub.CountRejected();
        Log.ClientRejected(_logger, _protocol.Name, remote, reason);
        return HttpRejection.WriteAsync(context, status, reason);
    }
}
