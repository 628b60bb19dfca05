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

    /// <summary>
    /// Host names clients may use besides <c>localhost</c>, <c>*.localhost</c> and IP address literals (against DNS
    /// rebinding), for the WebSocket, SSE and dashboard endpoints: exact names, <c>*.example.org</c>, or <c>*</c> for any.
    /// A request with another <c>Host</c> header gets 400. Default: none.
    /// </summary>
    [ConfigurationKeyName("allowed_hosts")]
    public IList<string> AllowedHosts { get; } = new List<string>();

    /// <summary>Most clients of the WebSocket and of the SSE endpoint each, 1 to 100,000. Default 1,024.</summary>
    [ConfigurationKeyName("max_connections")]
    public int MaxConnections { get; set; } = 1024;

    /// <summary>Most clients of each endpoint from one IP address, 1 to 100,000. Default 256.</summary>
    [ConfigurationKeyName("max_connections_per_address")]
    public int MaxConnectionsPerAddress { get; set; } = 256;

    /// <summary>
    /// How long a client may accept no data before it may be disconnected to make room for a new one when an endpoint
    /// is full, 0.1 s to 1 hour. Default 10 s.
    /// </summary>
    [ConfigurationKeyName("stalled_client_timeout")]
    public TimeSpan StalledClientTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a client's messages may wait for the next audio blocks' so that they leave in one write, 0 to 1 s.
    /// Default 25 ms; clients choose their own with <c>linger_ms</c> (docs/protocols.md, "Linger").
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(25);

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
