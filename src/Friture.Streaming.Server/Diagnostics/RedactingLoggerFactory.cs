using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Diagnostics;

/// <summary>
/// Wraps the application's logger factory for the private Kestrel servers, whose request logs hold URLs with
/// <c>?access_token=</c>. Disposing it leaves the application's factory alone.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, IReadOnlyList<string> secrets) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), secrets);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
    }
}
