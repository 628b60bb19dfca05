namespace Friture.Streaming.Protocols;

/// <summary>Arguments of <see cref="StreamingProtocol.ErrorOccurred"/>.</summary>
public sealed class ProtocolErrorEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="protocol">The protocol's name.</param>
    /// <param name="message">What happened.</param>
    /// <param name="exception">The underlying exception, if any.</param>
    public ProtocolErrorEventArgs(string protocol, string message, Exception? exception = null)
    {
        Protocol = protocol;
        Message = message;
        Exception = exception;
    }

    /// <summary>The protocol's name, for example <c>websocket</c>.</summary>
    public string Protocol { get; }

    /// <summary>What happened.</summary>
    public string Message { get; }

    /// <summary>The underlying exception, if any.</summary>
    public Exception? Exception { get; }
}
