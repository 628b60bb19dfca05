using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Friture.Streaming.Cli.Commands;

/// <summary>
/// One line per log entry (<c>warn: Category[id] message</c>). An exception's stack trace is written only at
/// <c>--log-level debug</c> or <c>trace</c>; otherwise its type and message end the line, so a user sees what went wrong
/// without a stack trace.
/// </summary>
internal sealed class CliConsoleFormatter(CliLogGate gate) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "friture";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        using var line = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Format(logEntry, line);
        var text = line.ToString();
        if (text.Length > 0 && gate.Admit(text))
        {
            textWriter.Write(text);
        }
    }

    private void Format<TState>(in LogEntry<TState> logEntry, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        if (!gate.StackTraces && IsSourceFailure(logEntry.Category, logEntry.EventId.Id, message))
        {
            // The runner reports a failing audio source itself, in one line with the likely fix (and stops): the
            // library's two entries about it (the capture loop's and the API's error report) are kept for debug.
            return;
        }

        textWriter.Write(logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            LogLevel.Critical => "crit",
            _ => "none",
        });
        textWriter.Write($": {logEntry.Category}[{logEntry.EventId.Id}] {message}");
        if (logEntry.Exception is { } exception)
        {
            if (gate.StackTraces)
            {
                textWriter.Write(' ');
                textWriter.Write(exception.ToString().ReplaceLineEndings(" "));
            }
            else if (message is null || !message.Contains(exception.Message, StringComparison.Ordinal))
            {
                textWriter.Write($" ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")})");
            }
        }

        textWriter.WriteLine();
    }

    /// <summary>The capture loop's "Audio source x failed" (event 2001) and the API's <c>AudioSourceFailed</c> error report (event 1008).</summary>
    internal static bool IsSourceFailure(string category, int eventId, string? message) =>
        (eventId == 2001 && category.EndsWith(".AudioCaptureLoop", StringComparison.Ordinal))
        || (eventId == 1008 && message is not null && message.StartsWith(nameof(StreamingErrorType.AudioSourceFailed) + ":", StringComparison.Ordinal));
}
