using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.WebSockets;
using Microsoft.AspNetCore.Routing;

// Extension methods live where ASP.NET Core users already look for Map* methods.
#pragma warning disable IDE0130
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Maps the Friture WebSocket and SSE endpoints into an existing ASP.NET Core application.</summary>
/// <remarks>
/// The protocol then uses the application's server (its URLs, TLS, authentication middleware): its own host and port
/// are ignored, and <c>StartAsync</c>/<c>StopAsync</c> (or <c>StreamingApi.AddProtocol</c>) only open and close the
/// endpoint. The WebSocket endpoint needs <c>app.UseWebSockets()</c> earlier in the pipeline.
/// </remarks>
public static class FritureEndpointRouteBuilderExtensions
{
    /// <summary>Serves <paramref name="protocol"/>'s WebSocket stream at <paramref name="pattern"/>, for example <c>/ws</c>.</summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="protocol">A protocol that has not been started.</param>
    /// <returns>A builder to add conventions (authorization, CORS ...) to the endpoint.</returns>
    /// <exception cref="InvalidOperationException">The protocol is already running on its own server.</exception>
    public static IEndpointConventionBuilder MapFritureWebSocket(this IEndpointRouteBuilder endpoints, string pattern, WebSocketProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.MarkMapped();
        return endpoints.Map(pattern, protocol.Endpoint.HandleAsync);
    }

    /// <summary>Serves <paramref name="protocol"/>'s event stream at <paramref name="pattern"/>, for example <c>/events</c>.</summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="protocol">A protocol that has not been started.</param>
    /// <returns>A builder to add conventions (authorization, CORS ...) to the endpoint.</returns>
    /// <exception cref="InvalidOperationException">The protocol is already running on its own server.</exception>
    public static IEndpointConventionBuilder MapFritureSse(this IEndpointRouteBuilder endpoints, string pattern, HttpSseProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.MarkMapped();
        return endpoints.Map(pattern, protocol.Endpoint.HandleAsync);
    }

    /// <summary>
    /// Refuses requests to these endpoints whose <c>Host</c> header names a host this server does not answer to (400), so
    /// a DNS-rebinding page cannot read them (the WebSocket and SSE endpoints check this themselves; use it for others,
    /// such as the dashboard). Allowed: <c>localhost</c>, <c>*.localhost</c>, IP address literals and
    /// <paramref name="allowedHosts"/> (exact names, <c>*.example.org</c>, or <c>*</c> for any).
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoints.</param>
    /// <param name="allowedHosts">The names clients use besides the defaults.</param>
    /// <returns>The builder.</returns>
    public static TBuilder RequireFritureHost<TBuilder>(this TBuilder builder, IEnumerable<string> allowedHosts)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(allowedHosts);
        var policy = new Friture.Streaming.Server.Security.HostPolicy(allowedHosts);
        builder.Add(endpoint =>
        {
            // Route handlers (MapGet with a delegate) get their request delegate after the conventions: filter them;
            // plain request-delegate endpoints have theirs now: wrap it.
            endpoint.FilterFactories.Add((_, next) => async invocation =>
            {
                var context = invocation.HttpContext;
                if (policy.IsAllowed(context.Request.Host, null))
                {
                    return await next(invocation).ConfigureAwait(false);
                }

                await RejectHostAsync(context).ConfigureAwait(false);
                return Microsoft.AspNetCore.Http.Results.Empty;
            });
            if (endpoint.RequestDelegate is { } inner)
            {
                endpoint.RequestDelegate = context => policy.IsAllowed(context.Request.Host, null) ? inner(context) : RejectHostAsync(context);
            }
        });
        return builder;
    }

    private static Task RejectHostAsync(Microsoft.AspNetCore.Http.HttpContext context) =>
        Friture.Streaming.Server.Hosting.HttpRejection.WriteAsync(context, Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest,
            $"Host '{context.Request.Host}' is not allowed; add it to the allowed hosts (--allowed-host) if clients really use that name.");
}
