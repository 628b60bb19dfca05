using System.Collections.Immutable;

namespace Friture.Streaming.Buffering;

/// <summary>Buffer configuration and use for one data type, summed over its consumers.</summary>
public sealed record BufferTypeStatistics
{
    /// <summary>Configured queue capacity per consumer.</summary>
    public int MaxSize { get; init; }

    /// <summary>Configured overflow strategy.</summary>
    public OverflowStrategy Overflow { get; init; }

    /// <summary>Configured delivery order.</summary>
    public DeliveryOrder Order { get; init; }

    /// <summary>Configured time to live in seconds, or null.</summary>
    public double? TtlSeconds { get; init; }

    /// <summary>Messages waiting now.</summary>
    public long QueueDepth { get; init; }

    /// <summary>Estimated bytes held now.</summary>
    public long QueuedBytes { get; init; }

    /// <summary>Messages dropped so far, by reason.</summary>
    public ImmutableDictionary<DropReason, long> Dropped { get; init; } = ImmutableDictionary<DropReason, long>.Empty;
}
