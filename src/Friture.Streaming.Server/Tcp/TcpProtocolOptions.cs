namespace Friture.Streaming.Server.Tcp;

/// <summary>Settings of <see cref="TcpProtocol"/>, on top of those shared by every protocol.</summary>
public sealed class TcpProtocolOptions : ProtocolOptions
{
    /// <summary>
    /// When <see cref="ProtocolOptions.AccessToken"/> is set: how long a new client has to send its
    /// <c>{"action":"auth","token":"..."}</c> line before it is disconnected, 0.1 to 300 s. Default 10 s.
    /// </summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When <see cref="ProtocolOptions.AccessToken"/> is set: how many connections may wait to authenticate at once, 1 to
    /// 100,000. Default 256. Past it, the one that has waited longest is disconnected, so connections that never
    /// authenticate cannot keep out a client with the right token. Waiting connections hold no client slot.
    /// </summary>
    public int MaxPendingAuthentications { get; set; } = 256;

    /// <summary>How long closing a connection (FIN, then waiting for the client's) may take at stop, 0.1 to 60 s. Default 1.5 s, so a stop with clients connected ends within 2 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        Range(nameof(AuthenticationTimeout), AuthenticationTimeout, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(300));
        Range(nameof(MaxPendingAuthentications), MaxPendingAuthentications, 1, 100_000);
        Range(nameof(CloseTimeout), CloseTimeout, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(60));
    }
}
