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
}
