namespace Friture.Streaming.Engine;

/// <summary>
/// The facade's <c>DataAvailable</c> event: a tap on every published message, raised in publication order on a
/// dedicated task. The pump is created with the first handler, so an API nobody taps costs one null check per message.
/// </summary>
internal sealed class DataTap(object sender, int queueSize, RegistrationGate gate, ErrorRouter errors) : IAsyncDisposable
{
    private EventHandler<DataAvailableEventArgs>? _handlers;
    private EventPump<StreamingData>? _pump;

    public void Add(EventHandler<DataAvailableEventArgs>? handler)
    {
        lock (gate.Sync)
        {
            _handlers += handler;
            _pump ??= new EventPump<StreamingData>(queueSize, Raise, errors.OnHandlerFailed);
        }
    }

    public void Remove(EventHandler<DataAvailableEventArgs>? handler)
    {
        lock (gate.Sync)
        {
            _handlers -= handler;
        }
    }

    /// <summary>Queues a message for the handlers, if there are any. Called on the publishing thread; never blocks.</summary>
    /// <param name="data">The message.</param>
    public void Post(StreamingData data)
    {
        if (_handlers is not null)
        {
            _pump?.Post(data);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pump is not null)
        {
            await _pump.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Raise(StreamingData data) => _handlers?.Invoke(sender, new DataAvailableEventArgs(data));
}
