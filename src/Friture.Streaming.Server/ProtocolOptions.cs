using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server;

/// <summary>Settings shared by every network protocol: client queues, limits, authentication, clock and logging.</summary>
/// <remarks>Options are read and validated once, when the protocol is created; change them before that.</remarks>
public abstract class ProtocolOptions
{
    /// <summary>Capacity of each client's queue, in messages, 1 to 1,000,000. Default 256.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>What a full client queue does. Default <see cref="ClientOverflowPolicy.DropOldest"/>.</summary>
    public ClientOverflowPolicy OverflowPolicy { get; set; } = ClientOverflowPolicy.DropOldest;

    /// <summary>Maximum number of simultaneous clients of this protocol, 1 to 100,000. Default 64.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>
    /// Maximum number of queued messages written in one go (one socket write, or one WebSocket frame when the client
    /// asked for batches) once a client has fallen behind, 1 to 1,024. Default 32.
    /// </summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// Whether a client's rate steps down (halves, at most every 100 ms) while its queue is at least half full and
    /// steps back up (doubles, at most every second) once it is at most 10 % full. Default <see langword="true"/>.
    /// </summary>
    public bool AdaptiveRate { get; set; } = true;

    /// <summary>
    /// Bearer token that clients must present (header <c>Authorization: Bearer &lt;token&gt;</c> or query parameter
    /// <c>access_token</c>; on TCP an <c>auth</c> control message), or <see langword="null"/> (the default) for none.
    /// Compared in constant time. Not used by UDP, whose clients are registered by the application.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>Largest inbound (client to server) message accepted, in bytes, 64 to 1,048,576. Default 4,096.</summary>
    public int MaxInboundMessageBytes { get; set; } = 4096;

    /// <summary>Clock for rates, keep-alives and timeouts. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Logger factory, or <see langword="null"/> (the default) for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Checks every option once; the message names the option, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">An option is not valid.</exception>
    internal virtual void Validate()
    {
        Range(nameof(QueueCapacity), QueueCapacity, 1, 1_000_000);
        Range(nameof(MaxConnections), MaxConnections, 1, 100_000);
        Range(nameof(MaxBatchSize), MaxBatchSize, 1, 1024);
        Range(nameof(MaxInboundMessageBytes), MaxInboundMessageBytes, 64, 1_048_576);
        if (!Enum.IsDefined(OverflowPolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(OverflowPolicy), OverflowPolicy,
                $"OverflowPolicy is {OverflowPolicy}; it must be DropOldest or Disconnect.");
        }

        if (AccessToken is { Length: 0 })
        {
            throw new ArgumentException("AccessToken is empty; use null for no token or a non-empty secret.", nameof(AccessToken));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    /// <summary>Throws when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="min">Smallest allowed value.</param>
    /// <param name="max">Largest allowed value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range.</exception>
    internal static void Range(string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
