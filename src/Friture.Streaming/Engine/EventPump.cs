using System.Threading.Channels;

namespace Friture.Streaming.Engine;

/// <summary>
/// Raises events off the publishing thread: items go into a bounded channel (oldest dropped when full) and one task
/// calls the handler for each, so slow or throwing handlers never reach the audio thread.
/// </summary>
internal sealed class EventPump<T> : IAsyncDisposable
{
    private readonly Channel<T> _channel;
    private readonly Action<T> _handler;
    private readonly Action<Exception> _onHandlerError;
    private readonly Task _loop;
    private long _dropped;

    public EventPump(int capacity, Action<T> handler, Action<Exception> onHandlerError)
    {
        _handler = handler;
        _onHandlerError = onHandlerError;
        _channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _loop = Task.Run(RunAsync);
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Post(T item) => _channel.Writer.TryWrite(item);

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    _handler(item);
                }
#pragma warning disable CA1031 // User handlers may throw anything; the pump keeps going.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _onHandlerError(ex);
                }
            }
        }
    }
}
