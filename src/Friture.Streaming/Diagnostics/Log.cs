using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Diagnostics;

/// <summary>Source-generated log messages of the library (event ids 1000-1999 engine, 2000-2999 audio).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Audio source {Source} failed")]
    public static partial void AudioSourceFailed(ILogger logger, Exception exception, string source);
}
