using Friture.Streaming.Protocols;

namespace Friture.Streaming;

/// <summary>The facade (work in progress: the engine lands in the next commit).</summary>
public sealed class StreamingApi
{
    /// <summary>New data available.</summary>
    public event EventHandler<DataAvailableEventArgs>? DataAvailable;

    /// <summary>Consumer registered.</summary>
    public event EventHandler<ConsumerEventArgs>? ConsumerRegistered;

    /// <summary>Consumer unregistered.</summary>
    public event EventHandler<ConsumerEventArgs>? ConsumerUnregistered;

    /// <summary>Error occurred.</summary>
    public event EventHandler<StreamingErrorEventArgs>? ErrorOccurred;

    /// <summary>Buffer manager (stub).</summary>
    public object? BufferManager { get; }

    /// <summary>Registers a consumer (stub).</summary>
    /// <param name="dataType">Type.</param>
    /// <param name="consumer">Consumer.</param>
    /// <returns>Id.</returns>
    public string RegisterConsumer(DataType dataType, Consumers.DataConsumer consumer) => consumer.ConsumerId + dataType.Name + BufferManager;

    /// <summary>Disposes (stub).</summary>
    /// <returns>Done.</returns>
    public ValueTask DisposeAsync() => BufferManager is null ? default : default;

    /// <summary>Adds a protocol.</summary>
    /// <param name="protocol">The protocol.</param>
    public void AddProtocol(StreamingProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        DataAvailable?.Invoke(this, null!);
        ConsumerRegistered?.Invoke(this, null!);
        ConsumerUnregistered?.Invoke(this, null!);
        ErrorOccurred?.Invoke(this, null!);
    }
}
