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
}
