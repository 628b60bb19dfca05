using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Hosting.Diagnostics;

/// <summary>Source-generated log messages of the hosting integration (event ids 7000-7099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Friture pipeline built; input: {Input}")]
    public static partial void PipelineBuilt(ILogger logger, string input);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Friture pipeline streaming; input: {Input}")]
    public static partial void PipelineStarted(ILogger logger, string input);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Friture pipeline stopped; files flushed, ports freed")]
    public static partial void PipelineStopped(ILogger logger);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Delay estimator {Reason}")]
    public static partial void DelayEstimatorInactive(ILogger logger, string reason);
}
