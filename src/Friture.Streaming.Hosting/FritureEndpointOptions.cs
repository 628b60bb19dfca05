using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Hosting;

/// <summary>What <c>app.MapFritureStreaming()</c> maps, and where (<c>Friture:Streaming:endpoints</c>).</summary>
public sealed class FritureEndpointOptions
{
    /// <summary>Serve the WebSocket stream. Default true.</summary>
    [ConfigurationKeyName("websocket")]
    public bool WebSocket { get; set; } = true;

    /// <summary>WebSocket path. Default <c>/ws</c>.</summary>
    [ConfigurationKeyName("websocket_path")]
    public string WebSocketPath { get; set; } = "/ws";

    /// <summary>Serve the Server-Sent Events stream. Default true.</summary>
    [ConfigurationKeyName("sse")]
    public bool Sse { get; set; } = true;

    /// <summary>SSE path. Default <c>/events</c>.</summary>
    [ConfigurationKeyName("sse_path")]
    public string SsePath { get; set; } = "/events";

    /// <summary>Serve the web dashboard. Default true.</summary>
    [ConfigurationKeyName("dashboard")]
    public bool Dashboard { get; set; } = true;

    /// <summary>Dashboard path. Default <c>/</c>.</summary>
    [ConfigurationKeyName("dashboard_path")]
    public string DashboardPath { get; set; } = "/";

    /// <summary>Bearer token required by the WebSocket and SSE endpoints, or null (default) for none.</summary>
    [ConfigurationKeyName("access_token")]
    public string? AccessToken { get; set; }

    /// <summary>Validates the paths.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A path does not start with '/'.</exception>
    public void Validate()
    {
        Check(WebSocketPath, "endpoints.websocket_path");
        Check(SsePath, "endpoints.sse_path");
        Check(DashboardPath, "endpoints.dashboard_path");
    }

    private static void Check(string? path, string name)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            throw new ArgumentOutOfRangeException(name, path, $"{name} is '{path}'; it must start with '/'.");
        }
    }
}
