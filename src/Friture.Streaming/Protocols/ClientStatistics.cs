using System.Collections.Immutable;

namespace Friture.Streaming.Protocols;

/// <summary>Counters of one client of a network protocol (part of <see cref="ProtocolStatistics"/>).</summary>
/// <remarks>
/// Rates are in messages per second per data type. <see cref="RateDivisor"/> is the adaptive step: 1 while the client
/// keeps up, 2, 4, 8 ... while its queue fills (it then receives one message in <see cref="RateDivisor"/> of each type),
/// back down to 1 as the queue drains.
/// </remarks>
public sealed record ClientStatistics
{
    /// <summary>The client's id, unique within the protocol.</summary>
    public required string ClientId { get; init; }

    /// <summary>The client's address and port.</summary>
    public string RemoteEndPoint { get; init; } = string.Empty;

    /// <summary>The wire names of the subscribed data types; empty means every type.</summary>
    public ImmutableArray<string> Types { get; init; } = [];

    /// <summary>The rate the client asked for, in messages per second per data type (0 = every message).</summary>
    public double RequestedRateHz { get; init; }

    /// <summary>The adaptive divisor now applied to the client's stream (1 = full rate).</summary>
    public int RateDivisor { get; init; } = 1;

    /// <summary>
    /// The rate now allowed, in messages per second per data type: <see cref="RequestedRateHz"/> divided by
    /// <see cref="RateDivisor"/> (0 = every message, when no rate was requested and the divisor is 1).
    /// </summary>
    public double EffectiveRateHz { get; init; }

    /// <summary>Messages waiting in the client's queue now.</summary>
    public int QueueLength { get; init; }

    /// <summary>Capacity of the client's queue in messages.</summary>
    public int QueueCapacity { get; init; }

    /// <summary>Messages written to the client's connection.</summary>
    public long Sent { get; init; }

    /// <summary>Messages dropped because the client's queue was full.</summary>
    public long Dropped { get; init; }

    /// <summary>Messages skipped by the client's requested rate or by the adaptive divisor (not counted as dropped).</summary>
    public long Skipped { get; init; }

    /// <summary>Writes that carried more than one message because the client had fallen behind.</summary>
    public long Batches { get; init; }

    /// <summary>Bytes written to the client's connection, framing included.</summary>
    public long BytesSent { get; init; }
}
