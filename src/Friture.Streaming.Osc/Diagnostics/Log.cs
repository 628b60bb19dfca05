using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Osc.Diagnostics;

/// <summary>Source-generated log messages of the OSC protocol (event ids 7100-7199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "osc sending over {Transport} from {Host}:{Port}")]
    public static partial void Started(ILogger logger, OscTransport transport, string host, int port);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "osc target {Target} failed; retrying in {DelayMs} ms")]
    public static partial void TargetFailed(ILogger logger, Exception exception, string target, double delayMs);
}
