using Friture.Streaming.Hosting;
using Friture.Streaming.Hosting.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

// Extension methods live where ASP.NET Core users already look for Map* methods.
#pragma warning disable IDE0130
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Maps the Friture WebSocket/SSE streams and the web dashboard into an ASP.NET Core application.</summary>
public static class FritureStreamingEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The one-liner: serves the pipeline registered by <c>AddFritureStreaming</c> on the application's own server: the
    /// WebSocket stream (default <c>/ws</c>), the SSE stream (default <c>/events</c>) and the dashboard (default <c>/</c>),
    /// as set in <see cref="FritureStreamingOptions.Endpoints"/>.
    /// </summary>
    /// <param name="endpoints">The application (a <c>WebApplication</c>) or another endpoint route builder.</param>
    /// <returns>The endpoints' builder, to add conventions (authorization, CORS ...).</returns>
    /// <remarks>
    /// When <paramref name="endpoints"/> is also an <see cref="IApplicationBuilder"/> (a <c>WebApplication</c>), the
    /// WebSocket middleware is added too; otherwise call <c>app.UseWebSockets()</c> yourself. Call once, before the
    /// application starts.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><c>AddFritureStreaming</c> was not called.</exception>
    public static IEndpointConventionBuilder MapFritureStreaming(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var pipeline = endpoints.ServiceProvider.GetService<FritureStreamingPipeline>()
            ?? throw new InvalidOperationException("MapFritureStreaming needs services.AddFritureStreaming(...) first.");
        var paths = pipeline.Options.Endpoints;
        var builders = new List<IEndpointConventionBuilder>();
        if (paths.WebSocket)
        {
            if (endpoints is IApplicationBuilder app)
            {
                app.UseWebSockets();
            }

            var ws = pipeline.CreateMappedWebSocket();
            builders.Add(endpoints.MapFritureWebSocket(paths.WebSocketPath, ws));
            pipeline.AddMapped(ws);
        }

        if (paths.Sse)
        {
            var sse = pipeline.CreateMappedSse();
            builders.Add(endpoints.MapFritureSse(paths.SsePath, sse));
            pipeline.AddMapped(sse);
        }

        if (paths.Dashboard)
        {
            builders.Add(endpoints.MapFritureDashboard(paths.DashboardPath).RequireFritureHost(paths.AllowedHosts));
        }

        return new CompositeConventionBuilder(builders);
    }

    /// <summary>
    /// Serves the web dashboard (static HTML/JS/CSS embedded in this package) at <paramref name="path"/>. It connects to
    /// the WebSocket and SSE paths of the registered pipeline's options. Beside it, <c>analyzers.json</c> lists the built-in
    /// analyzers (wire name, short name, description, default rate, payload and options type).
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="path">Where the dashboard lives, for example <c>/</c> or <c>/friture</c>.</param>
    /// <returns>The endpoints' builder.</returns>
    public static IEndpointConventionBuilder MapFritureDashboard(this IEndpointRouteBuilder endpoints, string path = "/")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pipeline = endpoints.ServiceProvider.GetService<FritureStreamingPipeline>();
        var options = pipeline?.Options.Endpoints ?? new FritureEndpointOptions();
        IReadOnlyList<DashboardAsset> assets = [.. DashboardAssets.Load(options), AnalyzerMetadata.Create()];
        var prefix = path.TrimEnd('/');
        var builders = new List<IEndpointConventionBuilder>();
        var session = new DashboardSession(pipeline, options.AccessToken);
        builders.Add(endpoints.MapGet($"{prefix}/session", session.WriteAsync));
        foreach (var asset in assets)
        {
            if (asset.Name != "index.html")
            {
                builders.Add(endpoints.MapGet($"{prefix}/{asset.Name}", (HttpContext context) => asset.WriteAsync(context)));
                continue;
            }

            // One route serves both "/dash" and "/dash/"; the page's relative URLs need the trailing slash.
            builders.Add(endpoints.MapGet(prefix.Length == 0 ? "/" : prefix, (HttpContext context) =>
            {
                var path = context.Request.Path.Value ?? "/";
                if (!path.EndsWith('/'))
                {
                    context.Response.Redirect(context.Request.PathBase + path + "/" + context.Request.QueryString);
                    return Task.CompletedTask;
                }

                return asset.WriteAsync(context);
            }));
        }

        return new CompositeConventionBuilder(builders);
    }
}
