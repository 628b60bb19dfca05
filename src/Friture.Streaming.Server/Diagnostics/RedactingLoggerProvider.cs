using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Diagnostics;

/// <summary>Wraps a logger provider (the console, say) so that no message it writes carries a token.</summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner, IReadOnlyList<string> secrets) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), secrets);

    public void Dispose() => inner.Dispose();
}
