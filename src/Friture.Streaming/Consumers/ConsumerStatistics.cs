using System.Collections.Immutable;
using Friture.Streaming.Buffering;

namespace Friture.Streaming.Consumers;

/// <summary>Counters of one consumer since it was created.</summary>
public sealed record ConsumerStatistics
{
    /// <summary>The consumer's id.</summary>
    public required string ConsumerId { get; init; }

    /// <summary>The consumer's type name, for example <c>CallbackConsumer</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Messages accepted into the consumer's queues.</summary>
    public long Received { get; init; }

    /// <summary>Messages handed to the consumer's code and handled (with or without error).</summary>
    public long Delivered { get; init; }

    /// <summary>Messages that never reached the consumer's code, by reason.</summary>
    public ImmutableDictionary<DropReason, long> Dropped { get; init; } = ImmutableDictionary<DropReason, long>.Empty;

    /// <summary>Messages whose handling threw.</summary>
    public long Errors { get; init; }

    /// <summary>Messages whose handling took longer than the consumer's time budget (callback consumers).</summary>
    public long SlowDeliveries { get; init; }

    /// <summary>Messages waiting in the consumer's queues now.</summary>
    public long QueueDepth { get; init; }

    /// <summary>Estimated bytes held by the waiting messages.</summary>
    public long QueuedBytes { get; init; }

    /// <summary>Why the consumer stopped working (for example <c>FileConsumer stopped writing 'x.jsonl': No space left on device</c>), or null while it works.</summary>
    public string? Failure { get; init; }
}
