using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Server.Clients;

namespace Friture.Streaming.Server.Udp;

/// <summary>A registered UDP client: one message per datagram, sent from the protocol's socket.</summary>
internal sealed class UdpClientSession : ClientSession
{
    private readonly Socket _socket;
    private readonly int _maxDatagramBytes;
    private byte[]? _fragment;
    private uint _nextMessageId;
    private long _sendErrors;

    // maxDatagramBytes: larger messages are sent as fragments (docs/wire-format.md); 0: every message whole.
    public UdpClientSession(string clientId, IPEndPoint endPoint, ProtocolOptions options, ClientSubscription subscription, Socket socket, int maxDatagramBytes = 0)
        : base(clientId, endPoint.ToString(), options, subscription)
    {
        EndPoint = endPoint;
        _socket = socket;
        _maxDatagramBytes = maxDatagramBytes;
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
                if (_maxDatagramBytes > 0 && message.Length > _maxDatagramBytes)
                {
                    bytes += await SendFragmentsAsync(message.Payload, cancellationToken).ConfigureAwait(false);
                    continue;
                }

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

    /// <summary>One message as fragment datagrams, every one of them sent even when one fails (the receiver then drops the message).</summary>
    private async ValueTask<long> SendFragmentsAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var buffer = _fragment ??= new byte[_maxDatagramBytes];
        var id = _nextMessageId++;
        var count = DatagramFragments.CountFor(message.Length, _maxDatagramBytes);
        long bytes = 0;
        for (var index = 0; index < count; index++)
        {
            var length = DatagramFragments.Write(buffer, message.Span, id, index, _maxDatagramBytes);
            try
            {
                bytes += await _socket.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, EndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _sendErrors);
            }
        }

        return bytes;
    }
}
