using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Friture.Streaming.Server.WebSockets;

/// <summary>
/// Puts a <see cref="CoalescingStream"/> under the WebSocket that <c>AcceptWebSocketAsync</c> creates, without doing
/// any part of the handshake here: the request's upgrade feature (HTTP/1.1) or extended-CONNECT feature (HTTP/2) is
/// wrapped so that the stream it returns is wrapped, and ASP.NET Core's own WebSocket middleware is run once more on
/// the request so that its handshake (validation, 101 and <c>Sec-WebSocket-Accept</c>, permessage-deflate negotiation,
/// keep-alive, abort handling) is bound to the wrapped features.
/// </summary>
/// <remarks>
/// Applies when the request's WebSocket feature comes from ASP.NET Core's middleware (<c>UseWebSockets</c>, which the
/// self-hosted server and <c>MapFritureWebSocket</c> apps use) and the server offers an upgrade or extended CONNECT
/// (Kestrel, HTTP.sys, IIS). Anywhere else (a server or test host with its own WebSocket feature) nothing is replaced
/// and the socket writes each frame itself.
/// </remarks>
internal sealed class CoalescingUpgrade
{
    private readonly Action? _onTransportWrite;

    private CoalescingUpgrade(Action? onTransportWrite) => _onTransportWrite = onTransportWrite;

    /// <summary>The stream the accepted WebSocket writes to, once the handshake has run.</summary>
    public CoalescingStream? Stream { get; private set; }

    /// <summary>
    /// Rebinds <paramref name="context"/>'s WebSocket feature to wrapped transport features, or returns null (and
    /// changes nothing) where that does not apply.
    /// </summary>
    /// <param name="context">A request already checked to be a WebSocket request.</param>
    /// <param name="keepAliveInterval">The keep-alive interval the accept passes (the accept context overrides it anyway).</param>
    /// <param name="onTransportWrite">Called on every write to the transport.</param>
    public static CoalescingUpgrade? TryInstall(HttpContext context, TimeSpan keepAliveInterval, Action? onTransportWrite)
    {
        var features = context.Features;
        var current = features.Get<IHttpWebSocketFeature>();
        if (current is null || current.GetType().Assembly != typeof(WebSocketMiddleware).Assembly)
        {
            return null;
        }

        var upgrade = features.Get<IHttpUpgradeFeature>();
        var connect = features.Get<IHttpExtendedConnectFeature>();
        if (upgrade is not { IsUpgradableRequest: true } && connect is not { IsExtendedConnect: true })
        {
            return null;
        }

        var installed = new CoalescingUpgrade(onTransportWrite);
        if (upgrade is not null)
        {
            features.Set<IHttpUpgradeFeature>(new UpgradeFeature(upgrade, installed));
        }

        if (connect is not null)
        {
            features.Set<IHttpExtendedConnectFeature>(new ConnectFeature(connect, installed));
        }

        features.Set<IHttpWebSocketFeature>(null);

        // The application's WebSocketOptions registered in its services (defaults on the self-hosted server) keep their
        // KeepAliveTimeout; origins were checked by the application's middleware already and by the endpoint.
        var configured = context.RequestServices?.GetService<IOptions<WebSocketOptions>>()?.Value;
        var options = new WebSocketOptions { KeepAliveInterval = keepAliveInterval };
        if (configured is not null)
        {
            options.KeepAliveTimeout = configured.KeepAliveTimeout;
        }

        var loggerFactory = context.RequestServices?.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var middleware = new WebSocketMiddleware(static _ => Task.CompletedTask, Options.Create(options), loggerFactory);

        // With no allowed-origins list the middleware only installs its handshake feature and calls the no-op next.
        var run = middleware.Invoke(context);
        if (run.IsCompletedSuccessfully && features.Get<IHttpWebSocketFeature>() is { IsWebSocketRequest: true })
        {
            return installed;
        }

        features.Set(upgrade);
        features.Set(connect);
        features.Set(current);
        return null;
    }

    private CoalescingStream Wrap(Stream transport)
    {
        var stream = new CoalescingStream(transport, _onTransportWrite);
        Stream = stream;
        return stream;
    }

    private sealed class UpgradeFeature(IHttpUpgradeFeature inner, CoalescingUpgrade owner) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => owner.Wrap(await inner.UpgradeAsync().ConfigureAwait(false));
    }

    private sealed class ConnectFeature(IHttpExtendedConnectFeature inner, CoalescingUpgrade owner) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync() => owner.Wrap(await inner.AcceptAsync().ConfigureAwait(false));
    }
}
