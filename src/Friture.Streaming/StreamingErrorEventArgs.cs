namespace Friture.Streaming;

/// <summary>Arguments of <see cref="StreamingApi.ErrorOccurred"/> (<c>(error_type, message)</c> in the original Friture streaming API).</summary>
public sealed class StreamingErrorEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="errorType">The kind of error.</param>
    /// <param name="message">What happened, naming the component involved.</param>
    /// <param name="exception">The underlying exception, if any.</param>
    public StreamingErrorEventArgs(StreamingErrorType errorType, string message, Exception? exception = null)
    {
        ErrorType = errorType;
        Message = message;
        Exception = exception;
    }

    /// <summary>The kind of error.</summary>
    public StreamingErrorType ErrorType { get; }

    /// <summary>What happened, naming the component involved.</summary>
    public string Message { get; }

    /// <summary>The underlying exception, if any.</summary>
    public Exception? Exception { get; }
}
