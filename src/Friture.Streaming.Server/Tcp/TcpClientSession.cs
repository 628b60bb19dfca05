using System.Globalization;
using System.Net.Sockets;
using Friture.Streaming.Server.Clients;

namespace Friture.Streaming.Server.Tcp;

/// <summary>
/// A TCP client: each message is framed as its byte length in ASCII decimal, <c>'\n'</c>, then the payload; a batch
/// of frames goes out in one socket write.
/// </summary>
internal sealed class TcpClientSession : ClientSession
{
    private readonly NetworkStream _stream;
    private readonly PooledBufferWriter _frames = new(8192);

    public TcpClientSession(string clientId, string remoteEndPoint, ProtocolOptions options, ClientSubscription subscription, NetworkStream stream)
        : base(clientId, remoteEndPoint, options, subscription) => _stream = stream;

    public static void Frame(PooledBufferWriter destination, ReadOnlySpan<byte> payload)
    {
        var span = destination.GetSpan(12 + payload.Length);
        payload.Length.TryFormat(span, out var digits, default, CultureInfo.InvariantCulture);
        span[digits] = (byte)'\n';
        payload.CopyTo(span[(digits + 1)..]);
        destination.Advance(digits + 1 + payload.Length);
    }

    protected override async ValueTask<long> WriteAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
    {
        _frames.Clear();
        foreach (var message in batch)
        {
            Frame(_frames, message.Payload.Span);
        }

        await _stream.WriteAsync(_frames.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return _frames.WrittenCount;
    }
}
