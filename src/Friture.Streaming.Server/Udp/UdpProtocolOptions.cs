namespace Friture.Streaming.Server.Udp;

/// <summary>Settings of <see cref="UdpProtocol"/>, on top of those shared by every protocol.</summary>
/// <remarks>
/// <see cref="ProtocolOptions.AccessToken"/> does not apply (clients are registered by the application, not
/// connected); <see cref="ProtocolOptions.MaxConnections"/> limits the registered clients.
/// </remarks>
public sealed class UdpProtocolOptions : ProtocolOptions
{
    /// <summary>Creates the options with UDP's defaults: <see cref="ProtocolOptions.Linger"/> 0 (each message is a datagram of its own).</summary>
    public UdpProtocolOptions() => Linger = TimeSpan.Zero;

    /// <summary>The largest datagram sent, in bytes, 512 to 65,507 (the IPv4 UDP maximum, the default).</summary>
    /// <remarks>
    /// A larger message is split into fragment datagrams (<see cref="SplitOversize"/>, docs/wire-format.md "UDP
    /// fragments"); with splitting off it is not sent: it is counted in <c>OversizeMessages</c> and reported once
    /// through <c>ErrorOccurred</c>.
    /// </remarks>
    public int MaxDatagramBytes { get; set; } = 65_507;

    /// <summary>
    /// Whether a message larger than <see cref="MaxDatagramBytes"/> is sent as fragments (default true): datagrams
    /// starting with the magic <c>FSF1</c> and a 16-byte header that a receiver reassembles (docs/wire-format.md).
    /// When false such a message is counted as oversize and not sent.
    /// </summary>
    public bool SplitOversize { get; set; } = true;

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        Range(nameof(MaxDatagramBytes), MaxDatagramBytes, 512, 65_507);
        if (AccessToken is not null)
        {
            throw new ArgumentException("AccessToken does not apply to UDP, whose clients are registered with AddClient; leave it null.", nameof(AccessToken));
        }
    }
}
