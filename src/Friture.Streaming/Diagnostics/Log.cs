using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Diagnostics;

/// <summary>Source-generated log messages of the library (event ids 1000-1999 engine, 2000-2999 audio).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Consumer {ConsumerId} failed on a {DataType} message; it keeps receiving")]
    public static partial void ConsumerFailed(ILogger logger, Exception exception, string consumerId, string dataType);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Consumer {ConsumerId} took {ElapsedMs:F2} ms, over its budget of {BudgetMs:F2} ms")]
    public static partial void ConsumerSlow(ILogger logger, string consumerId, double elapsedMs, double budgetMs);

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

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Audio source {Source} failed")]
    public static partial void AudioSourceFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Audio overrun: {LostFrames} frames lost at {StreamTime:F3} s")]
    public static partial void AudioOverrun(ILogger logger, long lostFrames, double streamTime);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Capture started from {Source}: {SampleRate} Hz, {Channels} ch, {BlockSize}-frame blocks")]
    public static partial void CaptureStarted(ILogger logger, string source, int sampleRate, int channels, int blockSize);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Audio source {Source} went back in time: expected frame {Expected}, got {Actual}; resynchronising")]
    public static partial void AudioClockWentBack(ILogger logger, string source, long expected, long actual);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Audio source {Source} ended after {Frames} frames")]
    public static partial void AudioEndOfStream(ILogger logger, string source, long frames);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "The failure report of audio source {Source} threw")]
    public static partial void AudioSinkFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Stopping audio source {Source} threw")]
    public static partial void AudioSourceStopFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "WAV recording to {Path} failed")]
    public static partial void WavRecordingFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "WAV recording rotated to {Path}")]
    public static partial void WavRecordingRotated(ILogger logger, string path);
}
