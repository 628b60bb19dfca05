using Friture.Streaming.Hosting;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Cli.Commands;

/// <summary>A validated friture-stream invocation.</summary>
internal sealed class CliConfiguration
{
    public required FritureStreamingOptions Streaming { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    public string? SaveSettingsPath { get; init; }

    public TimeSpan? Duration { get; init; }

    public required CliView View { get; init; }

    public required TimeSpan Interval { get; init; }

    public required LogLevel LogLevel { get; init; }

    /// <summary><c>--log-file</c>: where log lines go instead of stderr, or null.</summary>
    public string? LogFilePath { get; init; }

    public bool ListDevices { get; init; }

    public bool ServesHttp => Streaming.Endpoints.WebSocket || Streaming.Endpoints.Sse || Streaming.Endpoints.Dashboard;
}
