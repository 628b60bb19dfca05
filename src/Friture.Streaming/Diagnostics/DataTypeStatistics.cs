using System.Collections.Immutable;
using Friture.Streaming.Buffering;

namespace Friture.Streaming.Diagnostics;

/// <summary>Flow of one data type since the API was created.</summary>
public sealed record DataTypeStatistics
{
    /// <summary>Messages published (after rate limiting).</summary>
    public long Produced { get; init; }

    /// <summary>Results the rate limiter refused before their payloads were built.</summary>
    public long RateLimited { get; init; }

    /// <summary>Messages handed to consumer code (a message delivered to three consumers counts three times).</summary>
    public long Delivered { get; init; }

    /// <summary>Messages that did not reach a consumer, by reason.</summary>
    public ImmutableDictionary<DropReason, long> Dropped { get; init; } = ImmutableDictionary<DropReason, long>.Empty;

    /// <summary>Messages waiting in consumer queues now.</summary>
    public long QueueDepth { get; init; }

    /// <summary>Estimated bytes those messages hold.</summary>
    public long QueuedBytes { get; init; }

    /// <summary>Consumers registered now.</summary>
    public int Consumers { get; init; }

    /// <summary>Producers registered now.</summary>
    public int Producers { get; init; }

    /// <summary>Configured maximum rate per producer in Hz (0 = unlimited).</summary>
    public double RateLimitHz { get; init; }
}
