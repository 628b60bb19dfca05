using Friture.Streaming.Protocols;

namespace Friture.Streaming.Server;

/// <summary>Settings shared by the server protocols (WebSocket, SSE, TCP, UDP): client queues, limits and authentication.</summary>
/// <remarks>Options are read and validated once, when the protocol is created; change them before that.</remarks>
public abstract class ProtocolOptions : StreamingProtocolOptions
{
    /// <summary>The longest <see cref="Linger"/> a protocol or a client may choose: 1 s.</summary>
    public static readonly TimeSpan MaxLinger = TimeSpan.FromSeconds(1);

    /// <summary>Capacity of each client's queue, in messages, 1 to 1,000,000. Default 256.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>What a full client queue does. Default <see cref="ClientOverflowPolicy.DropOldest"/>.</summary>
    public ClientOverflowPolicy OverflowPolicy { get; set; } = ClientOverflowPolicy.DropOldest;

    /// <summary>Maximum number of simultaneous clients of this protocol, 1 to 100,000. Default 1,024.</summary>
    /// <remarks>
    /// A client that finds every slot taken is refused (HTTP 503, or an error line on TCP) unless a stalled client can be
    /// evicted to make room (see <see cref="StalledClientTimeout"/>). Authentication comes before a slot is held.
    /// </remarks>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>
    /// Maximum number of simultaneous clients from one IP address, 1 to 100,000. Default 256 (so one machine, a
    /// dashboard wall say, can open many streams, but cannot take every slot of <see cref="MaxConnections"/>).
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 256;

    /// <summary>
    /// How long a client may accept no data (a write to it pending, because it does not read) before it counts as
    /// stalled, 0.1 s to 1 hour. Default 10 s. Under pressure only: when a new client finds every slot (or every slot
    /// of its address) taken, the client stalled longest is disconnected to make room; without pressure a stalled client
    /// keeps its slot and loses messages by its <see cref="OverflowPolicy"/>.
    /// </summary>
    public TimeSpan StalledClientTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Maximum number of queued messages written in one go (one socket write, or one WebSocket frame when the client
    /// asked for batches) once a client has fallen behind, 1 to 1,024. Default 32.
    /// </summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How long a message may wait for the next audio blocks' messages so that they leave together, 0 to 1 s. Default
    /// 25 ms (0 for UDP, where every message is a datagram of its own). A client chooses its own with <c>linger_ms</c>
    /// in the URL or the subscribe message; 0 sends each audio block's messages as soon as the block is analysed.
    /// </summary>
    /// <remarks>
    /// While blocks keep coming, a client's messages are held at the end of a block only when the next block is due
    /// before the oldest of them has waited this long, so no message waits longer (the next block is predicted from the
    /// last two gaps between blocks); when blocks stop, what is held leaves within 200 ms. Messages not made by the audio
    /// (control replies, application messages) are never held. At the CLI's defaults (48 kHz, 512-frame blocks) 25 ms
    /// groups three blocks: a third of the socket writes, each message at most 21 ms later (docs/protocols.md, "Linger").
    /// </remarks>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(25);

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

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        Range(nameof(QueueCapacity), QueueCapacity, 1, 1_000_000);
        Range(nameof(MaxConnections), MaxConnections, 1, 100_000);
        Range(nameof(MaxConnectionsPerAddress), MaxConnectionsPerAddress, 1, 100_000);
        Range(nameof(StalledClientTimeout), StalledClientTimeout, TimeSpan.FromSeconds(0.1), TimeSpan.FromHours(1));
        Range(nameof(MaxBatchSize), MaxBatchSize, 1, 1024);
        Range(nameof(Linger), Linger, TimeSpan.Zero, MaxLinger);
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
    }
}
