using Friture.Streaming.Buffering;

namespace Friture.Streaming.Engine;

/// <summary>Engine state of one data type: its subscriptions (copy-on-write, read lock-free on the publishing path) and counters.</summary>
internal sealed class TypeState
{
    private Subscription[] _subscriptions = [];
    private long _published;
    private long _rateLimited;

    public TypeState(DataType dataType) => DataType = dataType;

    public DataType DataType { get; }

    /// <summary>Counters of registrations that ended, folded in so per-type totals survive unregistration.</summary>
    public FlowCounters Retired { get; } = new();

    /// <summary>Sum over live and ended registrations, computed on demand (the hot path touches only per-registration counters).</summary>
    public FlowTotals Totals()
    {
        var totals = default(FlowTotals);
        Retired.AddTo(ref totals);
        foreach (var subscription in Subscriptions)
        {
            subscription.Counters.AddTo(ref totals);
        }

        return totals;
    }

    public Subscription[] Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Whether any consumer is registered: producers of this type run only then.</summary>
    public bool HasConsumers => Volatile.Read(ref _subscriptions).Length > 0;

    public long Published => Interlocked.Read(ref _published);

    public long RateLimited => Interlocked.Read(ref _rateLimited);

    public void OnPublished() => Interlocked.Increment(ref _published);

    public void OnRateLimited() => Interlocked.Increment(ref _rateLimited);

    /// <summary>Adds a subscription. Callers hold the engine's registration lock.</summary>
    public void Add(Subscription subscription) => Volatile.Write(ref _subscriptions, [.. _subscriptions, subscription]);

    /// <summary>Removes a subscription. Callers hold the engine's registration lock.</summary>
    public bool Remove(Subscription subscription)
    {
        var current = _subscriptions;
        var index = Array.IndexOf(current, subscription);
        if (index < 0)
        {
            return false;
        }

        Volatile.Write(ref _subscriptions, [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)]);
        return true;
    }
}
