using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Diagnostics;

/// <summary>
/// A logger that removes secrets from every message before the inner logger sees it: the value of any
/// <c>access_token</c> query parameter (ASP.NET Core logs request URLs at the information level) and every listed secret.
/// </summary>
internal sealed partial class RedactingLogger(ILogger inner, IReadOnlyList<string> secrets) : ILogger
{
    public const string Mask = "***";

    public static string Redact(string message, IReadOnlyList<string> secrets)
    {
        var redacted = TokenParameter().Replace(message, "$1" + Mask);
        foreach (var secret in secrets)
        {
            if (secret.Length > 0)
            {
                redacted = redacted.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return redacted;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        // The structured state keeps the raw values; sinks that print the message see the redacted text only.
        inner.Log(logLevel, eventId, state, exception, (s, e) => Redact(formatter(s, e), secrets));
    }

    [GeneratedRegex(@"((?:^|[?&;\s])access_token=)[^&\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenParameter();
}
