using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Diagnostics;

/// <summary>Source-generated log messages of the library (event ids 1000-1999 engine, 2000-2999 audio).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Audio source {Source} failed")]
    public static partial void AudioSourceFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Capture started from {Source}: {SampleRate} Hz, {Channels} ch, {BlockSize}-frame blocks")]
    public static partial void CaptureStarted(ILogger logger, string source, int sampleRate, int channels, int blockSize);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Audio overrun on {Source}: {LostFrames} frames lost at stream time {StreamTime:F3} s")]
    public static partial void AudioOverrun(ILogger logger, string source, long lostFrames, double streamTime);

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
