namespace Friture.Streaming;

/// <summary>Arguments of <see cref="StreamingApi.ConsumerRegistered"/> and <see cref="StreamingApi.ConsumerUnregistered"/> (<c>(DataType, str)</c> in the original Friture streaming API).</summary>
public sealed class ConsumerEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="dataType">The data type of the registration.</param>
    /// <param name="consumerId">The consumer's id.</param>
    public ConsumerEventArgs(DataType dataType, string consumerId)
    {
        DataType = dataType;
        ConsumerId = consumerId;
    }

    /// <summary>The data type of the registration.</summary>
    public DataType DataType { get; }

    /// <summary>The consumer's id.</summary>
    public string ConsumerId { get; }
}
