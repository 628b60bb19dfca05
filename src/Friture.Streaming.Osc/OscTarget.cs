using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Friture.Streaming.Osc.Diagnostics;
using Friture.Streaming.Osc.Encoding;
using Friture.Streaming.Protocols;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Osc;

/// <summary>One registered receiver: a bounded drop-oldest queue of packets and the loop that sends them.</summary>
internal sealed class OscTarget
{
    private readonly OscProtocolOptions _options;
    private readonly ILogger _logger;
    private readonly Action<string, Exception> _onError;
    private readonly Channel<byte[]> _queue;
    private readonly byte[] _greeting;
    private long _sent;
    private long _dropped;
    private long _failed;
    private long _bytes;
    private int _reported;

    public OscTarget(string id, IPEndPoint endPoint, OscProtocolOptions options, ILogger logger, Action<string, Exception> onError, byte[] greeting)
    {
        _greeting = Slip.Encode(greeting);
        Id = id;
        EndPoint = endPoint;
        _options = options;
        _logger = logger;
        _onError = onError;
        _queue = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public string Id { get; }

    public IPEndPoint EndPoint { get; }

    public Task? Loop { get; set; }

    public void Enqueue(byte[] packet)
    {
        if (!_queue.Writer.TryWrite(packet))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Complete() => _queue.Writer.TryComplete();

    public ClientStatistics GetStatistics() => new()
    {
        ClientId = Id,
        RemoteEndPoint = EndPoint.ToString(),
        QueueLength = _queue.Reader.Count,
        QueueCapacity = _options.QueueCapacity,
        Sent = Interlocked.Read(ref _sent),
        Dropped = Interlocked.Read(ref _dropped) + Interlocked.Read(ref _failed),
        BytesSent = Interlocked.Read(ref _bytes),
    };

    public async Task RunUdpAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var packet))
            {
                try
                {
                    await socket.SendToAsync(packet, SocketFlags.None, EndPoint, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                    Interlocked.Add(ref _bytes, packet.Length);
                }
                catch (SocketException ex)
                {
                    Interlocked.Increment(ref _failed);
                    ReportOnce(ex);
                }
            }
        }
    }

    public async Task RunTcpAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = new TcpClient(EndPoint.AddressFamily) { NoDelay = true };
            try
            {
                await client.ConnectAsync(EndPoint, cancellationToken).ConfigureAwait(false);
                failures = 0;
                var stream = client.GetStream();

                // liblo recognises a SLIP stream only when its first packet is a message, not a bundle.
                await stream.WriteAsync(_greeting, cancellationToken).ConfigureAwait(false);
                while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (_queue.Reader.TryPeek(out var packet))
                    {
                        var frame = Slip.Encode(packet);
                        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                        _queue.Reader.TryRead(out _);
                        Interlocked.Increment(ref _sent);
                        Interlocked.Add(ref _bytes, frame.Length);
                    }
                }

                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                // The packet being written may or may not have arrived: count it once as failed and move on.
                if (_queue.Reader.TryRead(out _))
                {
                    Interlocked.Increment(ref _failed);
                }

                var delay = TimeSpan.FromTicks(Math.Min(_options.ReconnectDelay.Ticks << Math.Min(failures, 10), TimeSpan.FromSeconds(30).Ticks));
                failures++;
                Log.TargetFailed(_logger, ex, Id, delay.TotalMilliseconds);
                ReportOnce(ex);
                await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void ReportOnce(Exception ex)
    {
        if (Interlocked.Exchange(ref _reported, 1) == 0)
        {
            _onError($"osc cannot send to {EndPoint} ({ex.Message}); packets are counted as dropped until it works again.", ex);
        }
    }
}
