namespace Friture.Streaming;

/// <summary>Arguments of <see cref="StreamingApi.DataAvailable"/> (<c>(DataType, StreamingData)</c> in the original Friture streaming API).</summary>
public sealed class DataAvailableEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="data">The message.</param>
    public DataAvailableEventArgs(StreamingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
    }

    /// <summary>The message's data type.</summary>
    public DataType DataType => Data.DataType;

    /// <summary>The message.</summary>
    public StreamingData Data { get; }
}
