using System.Collections.Immutable;

namespace Friture.Streaming.Protocols;

/// <summary>Counters of one network protocol, returned by <see cref="StreamingProtocol.GetStatistics"/>.</summary>
/// <remarks>A snapshot: every count is since the protocol was created, and the client list holds the connected clients.</remarks>
public sealed record ProtocolStatistics
{
    /// <summary>The protocol's name, for example <c>websocket</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the protocol was accepting clients when the snapshot was taken.</summary>
    public bool IsRunning { get; init; }

    /// <summary>The host the protocol binds.</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>The port bound (0 when not started or not self-hosted).</summary>
    public int Port { get; init; }

    /// <summary>Clients connected now.</summary>
    public int ConnectedClients { get; init; }

    /// <summary>Connections accepted since creation.</summary>
    public long AcceptedConnections { get; init; }

    /// <summary>Connections refused (bad token, foreign origin, connection limit, bad subscription).</summary>
    public long RejectedConnections { get; init; }

    /// <summary>Clients disconnected to make room for a new one because they had stalled (read nothing) for too long.</summary>
    public long EvictedConnections { get; init; }

    /// <summary>Messages passed to <see cref="StreamingProtocol.Broadcast"/> or <see cref="StreamingProtocol.SendData"/>.</summary>
    public long MessagesBroadcast { get; init; }

    /// <summary>Messages not sent because they exceeded the protocol's maximum message size (UDP datagrams).</summary>
    public long OversizeMessages { get; init; }

    /// <summary>Messages sent, summed over the clients connected now and those that left.</summary>
    public long MessagesSent { get; init; }

    /// <summary>
    /// Messages dropped by client queues (a client that reads too slowly, or, for a broker, messages not published),
    /// summed over the clients connected now and those that left. Each connected client's share is in
    /// <see cref="ClientStatistics.Dropped"/>.
    /// </summary>
    public long MessagesDropped { get; init; }

    /// <summary>Clients, connected now or gone, that lost at least one message (the ones that read too slowly).</summary>
    public long ClientsWithDrops { get; init; }

    /// <summary>One entry per connected (or, for UDP, registered) client.</summary>
    public ImmutableArray<ClientStatistics> Clients { get; init; } = [];
}
