using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Mqtt.Diagnostics;

/// <summary>Source-generated log messages of the MQTT protocol (event ids 7000-7099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "mqtt connected to {Host}:{Port} as {ClientId}, publishing under {TopicRoot}")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string topicRoot);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "mqtt cannot reach the broker at {Host}:{Port}; retrying in {DelayMs} ms")]
    public static partial void ConnectFailed(ILogger logger, Exception exception, string host, int port, double delayMs);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "mqtt lost the broker at {Host}:{Port} while publishing; reconnecting")]
    public static partial void ConnectionLost(ILogger logger, Exception exception, string host, int port);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "mqtt stopped: published {Published}, dropped {Dropped}, failed {Failed}, abandoned at stop {Abandoned}")]
    public static partial void Stopped(ILogger logger, long published, long dropped, long failed, long abandoned);
}
