using System.Collections.Immutable;

namespace Friture.Streaming.Buffering;

/// <summary>Sum of several <see cref="FlowCounters"/>, computed when statistics are read.</summary>
internal struct FlowTotals
{
    public long Received;
    public long Delivered;
    public long QueueDepth;
    public long QueuedBytes;
    public long DroppedOverflow;
    public long DroppedExpired;
    public long DroppedUnregistered;
    public long Errors;
    public long SlowDeliveries;

    public readonly long TotalDropped => DroppedOverflow + DroppedExpired + DroppedUnregistered;

    public readonly ImmutableDictionary<DropReason, long> DroppedByReason() => ImmutableDictionary<DropReason, long>.Empty
        .Add(DropReason.Overflow, DroppedOverflow)
        .Add(DropReason.Expired, DroppedExpired)
        .Add(DropReason.Unregistered, DroppedUnregistered);
}
