using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Friture.Streaming.Buffering;

/// <summary>
/// Flow counters of one subscription or one consumer. The publishing thread writes only the "publisher" fields and the
/// delivery task only the "consumer" fields, and the two groups sit on different cache lines, so counting costs no
/// cache-line ping-pong between the audio thread and the consumers. Figures such as queue depth are differences of
/// monotonic counters, read when statistics are asked for.
/// </summary>
internal sealed class FlowCounters
{
    private Lines _lines;

    public long Received => Volatile.Read(ref _lines.Accepted) + Volatile.Read(ref _lines.Rejected);

    public long Delivered => Volatile.Read(ref _lines.Delivered);

    public long QueueDepth => Math.Max(0, Volatile.Read(ref _lines.Accepted) - Volatile.Read(ref _lines.Removed));

    public long QueuedBytes => Math.Max(0, Volatile.Read(ref _lines.AcceptedBytes) - Volatile.Read(ref _lines.RemovedBytes));

    public long Errors => Volatile.Read(ref _lines.Errors);

    public long SlowDeliveries => Volatile.Read(ref _lines.Slow);

    public long TotalDropped => Dropped(DropReason.Overflow) + Dropped(DropReason.Expired) + Dropped(DropReason.Unregistered);

    public long Dropped(DropReason reason) => reason switch
    {
        DropReason.Overflow => Volatile.Read(ref _lines.DroppedOverflow),
        DropReason.Expired => Volatile.Read(ref _lines.DroppedExpired),
        _ => Volatile.Read(ref _lines.DroppedUnregistered),
    };

    /// <summary>A message entered the queue (publisher side).</summary>
    public void OnEnqueued(long bytes)
    {
        Interlocked.Increment(ref _lines.Accepted);
        Interlocked.Add(ref _lines.AcceptedBytes, bytes);
    }

    /// <summary>A message was refused by a full queue (publisher side); counts as received and dropped.</summary>
    public void OnRejected(DropReason reason)
    {
        Interlocked.Increment(ref _lines.Rejected);
        CountDrop(reason);
    }

    /// <summary>A message left the queue, delivered or dropped.</summary>
    public void OnRemoved(long bytes)
    {
        Interlocked.Increment(ref _lines.Removed);
        Interlocked.Add(ref _lines.RemovedBytes, bytes);
    }

    public void CountDrop(DropReason reason)
    {
        switch (reason)
        {
            case DropReason.Overflow:
                Interlocked.Increment(ref _lines.DroppedOverflow);
                break;
            case DropReason.Expired:
                Interlocked.Increment(ref _lines.DroppedExpired);
                break;
            default:
                Interlocked.Increment(ref _lines.DroppedUnregistered);
                break;
        }
    }

    public void OnDelivered() => Interlocked.Increment(ref _lines.Delivered);

    public void OnError() => Interlocked.Increment(ref _lines.Errors);

    public void OnSlow() => Interlocked.Increment(ref _lines.Slow);

    public ImmutableDictionary<DropReason, long> DroppedByReason() => ImmutableDictionary<DropReason, long>.Empty
        .Add(DropReason.Overflow, Dropped(DropReason.Overflow))
        .Add(DropReason.Expired, Dropped(DropReason.Expired))
        .Add(DropReason.Unregistered, Dropped(DropReason.Unregistered));

    /// <summary>Adds this instance's figures into <paramref name="totals"/>.</summary>
    public void AddTo(ref FlowTotals totals)
    {
        totals.Received += Received;
        totals.Delivered += Delivered;
        totals.QueueDepth += QueueDepth;
        totals.QueuedBytes += QueuedBytes;
        totals.DroppedOverflow += Dropped(DropReason.Overflow);
        totals.DroppedExpired += Dropped(DropReason.Expired);
        totals.DroppedUnregistered += Dropped(DropReason.Unregistered);
        totals.Errors += Errors;
        totals.SlowDeliveries += SlowDeliveries;
    }

    /// <summary>Folds a finished subscription's history in, so per-type totals survive unregistration.</summary>
    public void Absorb(FlowCounters other)
    {
        Interlocked.Add(ref _lines.Accepted, Volatile.Read(ref other._lines.Accepted));
        Interlocked.Add(ref _lines.Rejected, Volatile.Read(ref other._lines.Rejected));
        Interlocked.Add(ref _lines.AcceptedBytes, Volatile.Read(ref other._lines.AcceptedBytes));
        Interlocked.Add(ref _lines.Removed, Volatile.Read(ref other._lines.Removed));
        Interlocked.Add(ref _lines.RemovedBytes, Volatile.Read(ref other._lines.RemovedBytes));
        Interlocked.Add(ref _lines.Delivered, Volatile.Read(ref other._lines.Delivered));
        Interlocked.Add(ref _lines.Errors, Volatile.Read(ref other._lines.Errors));
        Interlocked.Add(ref _lines.Slow, Volatile.Read(ref other._lines.Slow));
        Interlocked.Add(ref _lines.DroppedOverflow, Volatile.Read(ref other._lines.DroppedOverflow));
        Interlocked.Add(ref _lines.DroppedExpired, Volatile.Read(ref other._lines.DroppedExpired));
        Interlocked.Add(ref _lines.DroppedUnregistered, Volatile.Read(ref other._lines.DroppedUnregistered));
    }

    /// <summary>Publisher-side and consumer-side counters, 128 bytes apart (two cache lines on every current CPU).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 384)]
    private struct Lines
    {
        [FieldOffset(0)] public long Accepted;
        [FieldOffset(8)] public long AcceptedBytes;
        [FieldOffset(16)] public long Rejected;
        [FieldOffset(24)] public long DroppedOverflow;

        [FieldOffset(128)] public long Removed;
        [FieldOffset(136)] public long RemovedBytes;
        [FieldOffset(144)] public long Delivered;
        [FieldOffset(152)] public long Errors;
        [FieldOffset(160)] public long Slow;
        [FieldOffset(168)] public long DroppedExpired;

        [FieldOffset(256)] public long DroppedUnregistered;
    }
}
