using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Engine;

/// <summary>
/// Routes every problem the engine sees to the log and to the facade's <c>ErrorOccurred</c> event, raised on a dedicated
/// task so that no handler runs on the capture thread.
/// </summary>
internal sealed class ErrorRouter : IAsyncDisposable
{
    private readonly EventPump<StreamingErrorEventArgs> _pump;

    public ErrorRouter(int queueSize, ILogger logger, Action<StreamingErrorEventArgs> raise)
    {
        Logger = logger;
        _pump = new EventPump<StreamingErrorEventArgs>(queueSize, raise, OnHandlerFailed);
    }

    /// <summary>The engine's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Logs a problem and queues it for <c>ErrorOccurred</c>.</summary>
    /// <param name="errorType">The kind of problem.</param>
    /// <param name="message">The message, naming what failed.</param>
    /// <param name="exception">The exception, if any.</param>
    public void Report(StreamingErrorType errorType, string message, Exception? exception = null)
    {
        Log.ErrorReported(Logger, exception, errorType, message);
        _pump.Post(new StreamingErrorEventArgs(errorType, message, exception));
    }

    /// <summary>Queues a problem for <c>ErrorOccurred</c> that the caller has already logged in its own words.</summary>
    /// <param name="errorType">The kind of problem.</param>
    /// <param name="message">The message, naming what failed.</param>
    public void Raise(StreamingErrorType errorType, string message) =>
        _pump.Post(new StreamingErrorEventArgs(errorType, message, null));

    /// <summary>Logs an event handler that threw.</summary>
    /// <param name="exception">What it threw.</param>
    public void OnHandlerFailed(Exception exception) => Log.HandlerFailed(Logger, exception);

    public ValueTask DisposeAsync() => _pump.DisposeAsync();
}
