using System.Collections.Immutable;
using Friture.Streaming.Consumers;

namespace Friture.Streaming.Buffering;

/// <summary>Lock-free flow counters, kept per consumer and per data type (behind the statistics records).</summary>
internal sealed class FlowCounters
{
    private readonly long[] _dropped = new long[3];
    private long _received;
    private long _delivered;
    private long _errors;
    private long _slow;
    private long _depth;
    private long _bytes;

    public long Received => Volatile.Read(ref _received);

    public long Delivered => Volatile.Read(ref _delivered);

    public long QueueDepth => Volatile.Read(ref _depth);

    public long QueuedBytes => Volatile.Read(ref _bytes);

    public long Errors => Volatile.Read(ref _errors);

    public long SlowDeliveries => Volatile.Read(ref _slow);

    public long Dropped(DropReason reason) => Volatile.Read(ref _dropped[(int)reason]);

    public void OnEnqueued(long bytes)
    {
        Interlocked.Increment(ref _received);
        Interlocked.Increment(ref _depth);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void OnRejected(DropReason reason)
    {
        Interlocked.Increment(ref _received);
        Interlocked.Increment(ref _dropped[(int)reason]);
    }

    public void OnRemoved(long bytes)
    {
        Interlocked.Decrement(ref _depth);
        Interlocked.Add(ref _bytes, -bytes);
    }

    public void CountDrop(DropReason reason) => Interlocked.Increment(ref _dropped[(int)reason]);

    public void OnDelivered() => Interlocked.Increment(ref _delivered);

    public void OnError() => Interlocked.Increment(ref _errors);

    public void OnSlow() => Interlocked.Increment(ref _slow);

    public long TotalDropped => Dropped(DropReason.Overflow) + Dropped(DropReason.Expired) + Dropped(DropReason.Unregistered);

    public ImmutableDictionary<DropReason, long> DroppedByReason()
    {
        var dropped = ImmutableDictionary.CreateBuilder<DropReason, long>();
        foreach (var reason in Enum.GetValues<DropReason>())
        {
            dropped[reason] = Dropped(reason);
        }

        return dropped.ToImmutable();
    }

    public ConsumerStatistics Snapshot(string consumerId, string kind)
    {
        return new ConsumerStatistics
        {
            ConsumerId = consumerId,
            Kind = kind,
            Received = Received,
            Delivered = Delivered,
            Dropped = DroppedByReason(),
            Errors = Errors,
            SlowDeliveries = SlowDeliveries,
            QueueDepth = QueueDepth,
            QueuedBytes = QueuedBytes,
        };
    }
}
