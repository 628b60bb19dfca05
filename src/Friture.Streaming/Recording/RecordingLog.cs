using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Recording;

/// <summary>Source-generated log messages of WAV recording (event ids 2010-2019).</summary>
internal static partial class RecordingLog
{
    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "WAV recording to {Path} failed")]
    public static partial void WavRecordingFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "WAV recording rotated to {Path}")]
    public static partial void WavRecordingRotated(ILogger logger, string path);
}
