using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;

namespace Friture.Streaming.Engine;

/// <summary>
/// One registration of a consumer for one data type: its bounded queue, with every enqueue, delivery and drop counted
/// both for the consumer and for the data type.
/// </summary>
internal abstract class Subscription
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _ttl;
    private readonly Lock _sweepLock = new();

    protected Subscription(DataConsumer consumer, DataType dataType, BufferOptions options, TimeProvider timeProvider)
    {
        Consumer = consumer;
        DataType = dataType;
        Options = options;
        _timeProvider = timeProvider;
        _ttl = options.Ttl;
    }

    public DataConsumer Consumer { get; }

    public DataType DataType { get; }

    public BufferOptions Options { get; }

    /// <summary>This registration's own counters; per-type figures are their sum.</summary>
    public FlowCounters Counters { get; } = new();

    /// <summary>Set by the runner that delivers this subscription; signalled after each enqueue.</summary>
    public ConsumerRunner? Runner { get; set; }

    public static Subscription Create(DataConsumer consumer, DataType dataType, BufferOptions options, TimeProvider timeProvider) =>
        options.Order == DeliveryOrder.Lifo
            ? new StackSubscription(consumer, dataType, options, timeProvider)
            : new ChannelSubscription(consumer, dataType, options, timeProvider);

    /// <summary>Offers a message from the publishing thread. Never blocks.</summary>
    /// <remarks>With a time to live, expired messages at the head are removed first, so a stalled consumer does not keep stale data.</remarks>
    public void Offer(StreamingData data)
    {
        if (_ttl is { } ttl)
        {
            SweepExpired(ttl);
        }

        Enqueue(data);
        Runner?.Signal();
    }

    /// <summary>Takes the next message to deliver, discarding expired ones.</summary>
    public bool TryTake(out StreamingData data)
    {
        while (TryDequeueGuarded(out data!))
        {
            OnRemoved(data);
            if (_ttl is { } ttl && _timeProvider.GetUtcNow() - data.Metadata.Timestamp > ttl)
            {
                CountDrop(DropReason.Expired);
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary>Discards every queued message, counting each with <paramref name="reason"/>.</summary>
    public void Clear(DropReason reason)
    {
        while (TryDequeueGuarded(out var data))
        {
            OnRemoved(data);
            CountDrop(reason);
        }
    }

    protected abstract void Enqueue(StreamingData data);

    protected abstract bool TryDequeue(out StreamingData data);

    /// <summary>Looks at the oldest queued message without removing it.</summary>
    protected virtual bool TryPeekOldest(out StreamingData data)
    {
        data = null!;
        return false;
    }


    protected void OnEnqueued(StreamingData data)
    {
        var size = data.EstimatedSizeBytes;
        Consumer.Counters.OnEnqueued(size);
        Counters.OnEnqueued(size);
    }

    protected void OnRejected()
    {
        Consumer.Counters.OnRejected(DropReason.Overflow);
        Counters.OnRejected(DropReason.Overflow);
    }

    protected void OnEvicted(StreamingData data)
    {
        OnRemoved(data);
        CountDrop(DropReason.Overflow);
    }

    private bool TryDequeueGuarded(out StreamingData data)
    {
        if (_ttl is null)
        {
            return TryDequeue(out data);
        }

        // With a TTL the publisher also removes expired heads; the short lock keeps peek-then-take atomic. It is held
        // only to move a reference, never while consumer code runs.
        lock (_sweepLock)
        {
            return TryDequeue(out data);
        }
    }

    private void SweepExpired(TimeSpan ttl)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_sweepLock)
        {
            while (TryPeekOldest(out var oldest) && now - oldest.Metadata.Timestamp > ttl && TryDequeueOldest(out var removed))
            {
                OnRemoved(removed);
                CountDrop(DropReason.Expired);
            }
        }
    }

    private bool TryDequeueOldest(out StreamingData data) => Options.Order == DeliveryOrder.Lifo ? TryDequeueBottom(out data) : TryDequeue(out data);

    /// <summary>LIFO queues: removes the oldest message (the bottom of the stack).</summary>
    protected virtual bool TryDequeueBottom(out StreamingData data)
    {
        data = null!;
        return false;
    }

    private void OnRemoved(StreamingData data)
    {
        var size = data.EstimatedSizeBytes;
        Consumer.Counters.OnRemoved(size);
        Counters.OnRemoved(size);
    }

    private void CountDrop(DropReason reason)
    {
        Consumer.Counters.CountDrop(reason);
        Counters.CountDrop(reason);
    }
}
