namespace Friture.Streaming.Consumers;

/// <summary>Arguments of <see cref="DataConsumer.ErrorOccurred"/> (<c>(consumer_id, error)</c> in the original Friture streaming API).</summary>
public sealed class ConsumerErrorEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="consumerId">The consumer's id.</param>
    /// <param name="exception">The error.</param>
    /// <param name="data">The message being handled, if any.</param>
    public ConsumerErrorEventArgs(string consumerId, Exception exception, StreamingData? data = null)
    {
        ConsumerId = consumerId;
        Exception = exception;
        Data = data;
    }

    /// <summary>The consumer's id.</summary>
    public string ConsumerId { get; }

    /// <summary>The error.</summary>
    public Exception Exception { get; }

    /// <summary>The message being handled when the error occurred, if any.</summary>
    public StreamingData? Data { get; }
}
