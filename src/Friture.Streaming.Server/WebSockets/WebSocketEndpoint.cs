using System.Buffers;
using System.Net.WebSockets;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Diagnostics;
using Friture.Streaming.Server.Hosting;
using Friture.Streaming.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.WebSockets;

/// <summary>
/// The WebSocket request handler: checks, accept, then a send loop (the client's queue) and a receive loop (control
/// messages) until one side closes. Used by the self-hosted server and by <c>MapFritureWebSocket</c>.
/// </summary>
internal sealed class WebSocketEndpoint
{
    private readonly WebSocketProtocol _protocol;
    private readonly WebSocketProtocolOptions _options;
    private readonly ClientHub _hub;
    private readonly AccessTokenValidator _token;
    private readonly OriginPolicy _origins;
    private readonly HostPolicy _hosts;
    private readonly ILogger _logger;
    private readonly Action _countTransportWrite;
    private long _transportWrites;
    private long _coalescedConnections;
    private long _sessionFramedConnections;

    public WebSocketEndpoint(WebSocketProtocol protocol, WebSocketProtocolOptions options, ClientHub hub, ILogger logger)
    {
        _countTransportWrite = () => Interlocked.Increment(ref _transportWrites);
        _protocol = protocol;
        _options = options;
        _hub = hub;
        _logger = logger;
        _token = new AccessTokenValidator(options.AccessToken);
        _origins = new OriginPolicy(options.AllowedOrigins);
        _hosts = new HostPolicy(options.AllowedHosts);
    }

    /// <summary>Writes handed to the connections' transports by coalescing sockets (for tests and diagnostics).</summary>
    internal long TransportWrites => Interlocked.Read(ref _transportWrites);

    /// <summary>Connections accepted with a <see cref="CoalescingStream"/> under the socket.</summary>
    internal long CoalescedConnections => Interlocked.Read(ref _coalescedConnections);

    /// <summary>Connections whose session frames its data itself (<see cref="CoalescingStream.WriteFramesAsync"/>).</summary>
    internal long SessionFramedConnections => Interlocked.Read(ref _sessionFramedConnections);

    private enum ReceiveOutcome
    {
        ClientClosed,
        TooBig,
        Failed,
    }

    public async Task HandleAsync(HttpContext context)
    {
        var remote = HttpRejection.RemoteEndPoint(context);
        var query = context.Request.Query;
        if (!_protocol.IsRunning)
        {
            await RejectAsync(context, remote, StatusCodes.Status503ServiceUnavailable, "The websocket protocol is not running.").ConfigureAwait(false);
            return;
        }

        if (!_hosts.IsAllowed(context.Request.Host, _protocol.IsMapped ? null : _protocol.Host))
        {
            await RejectAsync(context, remote, StatusCodes.Status400BadRequest,
                $"Host '{context.Request.Host}' is not allowed; add it to AllowedHosts (--allowed-host) if clients really use that name.").ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RejectAsync(context, remote, StatusCodes.Status400BadRequest, "This endpoint speaks WebSocket: connect with ws:// or wss://.").ConfigureAwait(false);
            return;
        }

        if (!_origins.IsAllowed(context.Request, out var origin))
        {
            await RejectAsync(context, remote, StatusCodes.Status403Forbidden, $"Origin '{origin}' is not allowed.").ConfigureAwait(false);
            return;
        }

        if (!_token.IsValid(context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, query["access_token"].ToString()))
        {
            await RejectAsync(context, remote, StatusCodes.Status401Unauthorized, "A valid bearer token is required.").ConfigureAwait(false);
            return;
        }

        if (!SubscriptionParser.TryParseQuery(query, allowBatch: true, allowBinary: true, out var subscription, out var error))
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
            // HTTP/1.1 upgrade or HTTP/2 extended CONNECT through ASP.NET Core's WebSocket middleware (the self-hosted server,
            // MapFritureWebSocket apps on Kestrel, HTTP.sys, IIS): the socket writes through a CoalescingStream, one
            // transport write per batch. Elsewhere (a host with its own WebSocket feature) the socket writes each frame.
            var coalescing = CoalescingUpgrade.TryInstall(context, _options.KeepAliveInterval, _countTransportWrite);
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                DangerousEnableCompression = _options.EnableCompression,
                KeepAliveInterval = _options.KeepAliveInterval,
            }).ConfigureAwait(false);
            // Without permessage-deflate the session frames its data itself (one buffer, one write per batch); with it, the
            // socket compresses and frames each message.
            var framesDirect = !_options.EnableCompression || !OffersDeflate(context.Request);
            var session = new WebSocketClientSession(_hub.NextClientId(), remote, _options, subscription, socket, coalescing?.Stream, framesDirect)
            {
                Address = address,
            };
            if (coalescing?.Stream is not null)
            {
                Interlocked.Increment(ref _coalescedConnections);
            }

            if (session.FramesDirect)
            {
                Interlocked.Increment(ref _sessionFramedConnections);
            }

            _hub.Add(session);
            Log.ClientConnected(_logger, _protocol.Name, session.ClientId, remote);
            try
            {
                await RunAsync(session, socket, context.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                // The slot is free before Closed completes, so an eviction waiting on Closed finds it.
                _hub.Remove(session);
                _hub.ReleaseSlot(address);
                slotHeld = false;
                session.MarkClosed();
                Log.ClientDisconnected(_logger, _protocol.Name, session);
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

    private static bool OffersDeflate(HttpRequest request)
    {
        foreach (var extensions in request.Headers.SecWebSocketExtensions)
        {
            if (extensions is not null && extensions.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private async Task RunAsync(WebSocketClientSession session, WebSocket socket, CancellationToken requestAborted)
    {
        using var link = requestAborted.Register(static s => ((ClientSession)s!).Abort(), session);
        var send = session.RunSendLoopAsync();
        var receive = ReceiveLoopAsync(session, socket);
        var first = await Task.WhenAny(send, receive).ConfigureAwait(false);
        if (first == send)
        {
            await ObserveAsync(send).ConfigureAwait(false);
            if (session.Evicted)
            {
                Log.ClientEvicted(_logger, _protocol.Name, session.ClientId);
                socket.Abort();
            }
            else if (session.Overflowed)
            {
                Log.ClientOverflowed(_logger, _protocol.Name, session.ClientId);
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "queue overflow: the client reads too slowly").ConfigureAwait(false);
            }
            else if (!session.Aborted.IsCancellationRequested)
            {
                await CloseAsync(socket, WebSocketCloseStatus.EndpointUnavailable, "server stopping").ConfigureAwait(false);
            }

            try
            {
                await receive.WaitAsync(_options.CloseTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                socket.Abort();
            }

            return;
        }

        var outcome = await receive.ConfigureAwait(false);
        if (outcome == ReceiveOutcome.ClientClosed && socket.State == WebSocketState.CloseReceived)
        {
            // The client is closing: stop sending, but let a write in progress finish rather than cancel it (a cancelled
            // send aborts the socket, and the client would get no close reply); abort only if it does not finish.
            session.Stop();
            try
            {
                await send.WaitAsync(_options.CloseTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
#pragma warning disable CA1031 // Observed below.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        session.Abort();
        await ObserveAsync(send).ConfigureAwait(false);
        if (outcome == ReceiveOutcome.TooBig)
        {
            await CloseAsync(socket, WebSocketCloseStatus.MessageTooBig,
                $"inbound messages are limited to {_options.MaxInboundMessageBytes} bytes").ConfigureAwait(false);
        }
        else if (socket.State == WebSocketState.CloseReceived)
        {
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "bye").ConfigureAwait(false);
        }
    }

    private async Task<ReceiveOutcome> ReceiveLoopAsync(ClientSession session, WebSocket socket)
    {
        var max = _options.MaxInboundMessageBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == max)
                    {
                        return ReceiveOutcome.TooBig;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(count, max - count), session.Aborted).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return ReceiveOutcome.ClientClosed;
                    }

                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    session.Enqueue(ControlReplies.Error("Control messages are JSON text frames, not binary frames."));
                    continue;
                }

                ControlHandler.Handle(session, buffer.AsSpan(0, count), _options.ControlExtension);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            return ReceiveOutcome.Failed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string description)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            socket.Abort();
        }
    }

    private async Task ObserveAsync(Task send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            Log.ClientFailed(_logger, ex, _protocol.Name, "send");
        }
    }

    private Task RejectAsync(HttpContext context, string remote, int status, string reason)
    {
        _hub.CountRejected();
        Log.ClientRejected(_logger, _protocol.Name, remote, reason);
        return HttpRejection.WriteAsync(context, status, reason);
    }
}
