using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Friture.Streaming.Buffering;

namespace Friture.Streaming.Consumers;

/// <summary>
/// Keeps messages in a bounded, thread-safe queue for worker threads to take (as
/// <c>QueueConsumer(max_queue_size=1000, overflow_strategy='drop_oldest')</c> in the original Friture streaming API).
/// </summary>
/// <remarks>
/// The queue is a bounded <see cref="Channel{T}"/> filled straight from the publishing thread without blocking; a full
/// queue drops by <see cref="OverflowStrategy"/> and counts every drop. Read with <see cref="GetData(TimeSpan)"/> (blocking,
/// <see langword="null"/> on timeout), <see cref="TryGetData"/>, <see cref="GetDataAsync"/> or <see cref="ReadAllAsync"/>.
/// Several readers may read concurrently; each message goes to one reader.
/// </remarks>
public sealed class QueueConsumer : DataConsumer, IDirectMessageSink
{
    private readonly Channel<StreamingData> _channel;

    /// <summary>Creates the consumer.</summary>
    /// <param name="maxQueueSize">Capacity in messages, 1 to 1,000,000 (default 1000).</param>
    /// <param name="overflowStrategy">What a full queue drops (default <see cref="OverflowStrategy.DropOldest"/>).</param>
    /// <param name="consumerId">Optional id.</param>
    public QueueConsumer(int maxQueueSize = 1000, OverflowStrategy overflowStrategy = OverflowStrategy.DropOldest, string? consumerId = null)
        : base(consumerId)
    {
        if (maxQueueSize is < 1 or > BufferOptions.MaxAllowedSize)
        {
            throw new ArgumentOutOfRangeException(nameof(maxQueueSize), maxQueueSize,
                $"max_queue_size is {maxQueueSize}; it must be between 1 and {BufferOptions.MaxAllowedSize}.");
        }

        if (!Enum.IsDefined(overflowStrategy))
        {
            throw new ArgumentOutOfRangeException(nameof(overflowStrategy), overflowStrategy,
                $"overflow_strategy is {overflowStrategy}; it must be drop_oldest or drop_newest.");
        }

        MaxQueueSize = maxQueueSize;
        OverflowStrategy = overflowStrategy;
        var options = new BoundedChannelOptions(maxQueueSize)
        {
            FullMode = overflowStrategy == OverflowStrategy.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.DropWrite,
            SingleReader = false,
            SingleWriter = false,
        };
        _channel = Channel.CreateBounded<StreamingData>(options, OnDropped);
    }

    /// <summary>Capacity in messages.</summary>
    public int MaxQueueSize { get; }

    /// <summary>What a full queue drops.</summary>
    public OverflowStrategy OverflowStrategy { get; }

    /// <summary>Messages waiting now.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>The underlying channel reader, for code that composes channels.</summary>
    public ChannelReader<StreamingData> Reader => _channel.Reader;

    internal override IDirectMessageSink? DirectSink => this;

    /// <summary>Takes the next message, waiting up to <paramref name="timeout"/> (<c>get_data(timeout)</c> in the original Friture streaming API).</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <returns>The message, or <see langword="null"/> when none arrived in time.</returns>
    public StreamingData? GetData(TimeSpan timeout)
    {
        if (TryGetData(out var data))
        {
            return data;
        }

        if (timeout == TimeSpan.Zero)
        {
            return null;
        }

        using var cts = timeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(timeout);
        try
        {
            while (_channel.Reader.WaitToReadAsync(cts.Token).AsTask().GetAwaiter().GetResult())
            {
                if (TryGetData(out data))
                {
                    return data;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return null;
    }

    /// <summary>Takes the next message, waiting up to <paramref name="timeoutSeconds"/> seconds.</summary>
    /// <param name="timeoutSeconds">Seconds to wait, 0 or more.</param>
    /// <returns>The message, or <see langword="null"/> on timeout.</returns>
    public StreamingData? GetData(double timeoutSeconds = 1.0)
    {
        if (!double.IsFinite(timeoutSeconds) || timeoutSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timeoutSeconds), timeoutSeconds, $"timeout is {timeoutSeconds} s; it must be 0 or more.");
        }

        return GetData(TimeSpan.FromSeconds(timeoutSeconds));
    }

    /// <summary>Takes the next message when one is waiting.</summary>
    /// <param name="data">The message.</param>
    /// <returns>Whether a message was taken.</returns>
    public bool TryGetData(out StreamingData data)
    {
        if (_channel.Reader.TryRead(out data!))
        {
            OnTaken(data);
            return true;
        }

        return false;
    }

    /// <summary>Waits for the next message.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The message.</returns>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public async ValueTask<StreamingData> GetDataAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryGetData(out var data))
            {
                return data;
            }

            if (!await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new ChannelClosedException("The queue consumer was disposed.");
            }
        }
    }

    /// <summary>Reads messages as they arrive until cancelled or disposed.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The messages.</returns>
    public async IAsyncEnumerable<StreamingData> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryGetData(out var data))
            {
                yield return data;
            }
        }
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        return base.DisposeAsync();
    }

    void IDirectMessageSink.Offer(StreamingData data)
    {
        var size = data.EstimatedSizeBytes;
        Counters.OnEnqueued(size);
        TypeCounters?.Invoke(data.DataType)?.OnEnqueued(size);
        if (!_channel.Writer.TryWrite(data) && _channel.Reader.Completion.IsCompleted)
        {
            OnDropped(data, DropReason.Unregistered);
        }
    }

    void IDirectMessageSink.Clear()
    {
        while (_channel.Reader.TryRead(out var data))
        {
            OnDropped(data, DropReason.Unregistered);
        }
    }

    /// <inheritdoc/>
    protected internal override ValueTask ConsumeAsync(StreamingData data, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A queue consumer is filled directly; it has no delivery task.");

    private void OnDropped(StreamingData data) => OnDropped(data, DropReason.Overflow);

    private void OnDropped(StreamingData data, DropReason reason)
    {
        var size = data.EstimatedSizeBytes;
        Counters.OnRemoved(size);
        Counters.CountDrop(reason);
        var type = TypeCounters?.Invoke(data.DataType);
        type?.OnRemoved(size);
        type?.CountDrop(reason);
    }

    private void OnTaken(StreamingData data)
    {
        var size = data.EstimatedSizeBytes;
        Counters.OnRemoved(size);
        Counters.OnDelivered();
        var type = TypeCounters?.Invoke(data.DataType);
        type?.OnRemoved(size);
        type?.OnDelivered();
    }
}
