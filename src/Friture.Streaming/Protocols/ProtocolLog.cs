using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Protocols;

/// <summary>Source-generated log messages of the protocol lifecycle, shared by every protocol (event ids 5001-5002, 5010-5011).</summary>
internal static partial class ProtocolLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "{Protocol} listening on {Host}:{Port}")]
    public static partial void Started(ILogger logger, string protocol, string host, int port);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "{Protocol} stopped")]
    public static partial void Stopped(ILogger logger, string protocol);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "{Protocol} could not start on {Host}:{Port}: {Reason}")]
    public static partial void StartFailed(ILogger logger, string protocol, string host, int port, string reason);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "{Protocol} failed while stopping; its port was released")]
    public static partial void StopFailed(ILogger logger, Exception exception, string protocol);
}
