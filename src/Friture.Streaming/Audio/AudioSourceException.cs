namespace Friture.Streaming.Audio;

/// <summary>An audio source failed to start or to deliver audio.</summary>
public sealed class AudioSourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AudioSourceException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the source.</param>
    public AudioSourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the source.</param>
    /// <param name="innerException">The underlying error.</param>
    public AudioSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
