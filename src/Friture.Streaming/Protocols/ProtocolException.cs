namespace Friture.Streaming.Protocols;

/// <summary>A protocol could not start or failed (for example, its port is in use).</summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtocolException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the protocol and port.</param>
    public ProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the protocol and port.</param>
    /// <param name="innerException">The underlying error.</param>
    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
