namespace Friture.Streaming.Osc;

/// <summary>How <see cref="OscProtocol"/> reaches its targets (the <c>transport</c> option).</summary>
public enum OscTransport
{
    /// <summary>One UDP datagram per packet (OSC 1.0's usual transport; <c>udp</c>).</summary>
    Udp = 0,

    /// <summary>A TCP connection to each target, packets framed with SLIP as OSC 1.1 specifies (<c>tcp</c>).</summary>
    TcpSlip = 1,
}
