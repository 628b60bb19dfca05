using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Server.Clients;

namespace Friture.Streaming.Server.Udp;

/// <summary>A registered UDP client: one message per datagram, sent from the protocol's socket.</summary>
internal sealed class UdpClientSession : ClientSession
{
    private readonly Socket _socket;
    private long _sendErrors;

    public UdpClientSession(string clientId, IPEndPoint endPoint, ProtocolOptions options, ClientSubscription subscription, Socket socket)
        : base(clientId, endPoint.ToString(), options, subscription)
    {
        EndPoint = endPoint;
        _socket = socket;
    }

    public IPEndPoint EndPoint { get; }

    public long SendErrors => Interlocked.Read(ref _sendErrors);

    protected override async ValueTask<long> WriteAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
    {
        long bytes = 0;
        foreach (var message in batch)
        {
            try
            {
                bytes += await _socket.SendToAsync(message.Payload, SocketFlags.None, EndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // Nobody listening (ICMP port unreachable) or a full buffer: UDP delivery is best effort.
                Interlocked.Increment(ref _sendErrors);
            }
        }

        return bytes;
    }
}
