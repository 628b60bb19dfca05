using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Engine;

/// <summary>Source-generated log messages of the engine (event ids 1000-1999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Consumer {ConsumerId} failed on a {DataType} message; it keeps receiving")]
    public static partial void ConsumerFailed(ILogger logger, Exception exception, string consumerId, string dataType);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Consumer {ConsumerId} took {ElapsedMs:F2} ms, over its budget of {BudgetMs:F2} ms")]
    public static partial void ConsumerSlow(ILogger logger, string consumerId, double elapsedMs, double budgetMs);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "Consumer {ConsumerId} took over {ThresholdMs:F0} ms on a shared delivery thread; it now has a thread of its own")]
    public static partial void ConsumerMovedToOwnThread(ILogger logger, string consumerId, double thresholdMs);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "Consumer {ConsumerId} had no slow delivery for {Seconds:F0} s; it is back on the shared delivery threads")]
    public static partial void ConsumerReturnedToSharedThreads(ILogger logger, string consumerId, double seconds);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Producer {ProducerId} ({DataType}) failed; its result was skipped")]
    public static partial void ProducerFailed(ILogger logger, Exception exception, string producerId, string dataType);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Consumer {ConsumerId} registered for {DataType}")]
    public static partial void ConsumerRegistered(ILogger logger, string consumerId, string dataType);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Consumer {ConsumerId} unregistered from {DataType}")]
    public static partial void ConsumerUnregistered(ILogger logger, string consumerId, string dataType);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Streaming started (audio source: {Source})")]
    public static partial void StreamingStarted(ILogger logger, string source);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Streaming stopped")]
    public static partial void StreamingStopped(ILogger logger);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "{ErrorType}: {Message}")]
    public static partial void ErrorReported(ILogger logger, Exception? exception, StreamingErrorType errorType, string message);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "Rate limit for {DataType} set to {RateHz} Hz")]
    public static partial void RateLimitSet(ILogger logger, string dataType, double rateHz);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "An ErrorOccurred or DataAvailable handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);
}
