using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Audio;

/// <summary>Source-generated log messages of audio capture (event ids 2000-2009).</summary>
internal static partial class AudioLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Audio source {Source} failed")]
    public static partial void AudioSourceFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Audio overrun: {LostFrames} frames lost in {Overruns} overrun(s) since the last report, the latest at {StreamTime:F3} s (analysis or the audio backend fell behind; logged at most once per second)")]
    public static partial void AudioOverrun(ILogger logger, long overruns, long lostFrames, double streamTime);

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
}
