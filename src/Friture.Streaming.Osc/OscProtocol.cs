using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Osc.Diagnostics;
using Friture.Streaming.Osc.Encoding;
using Friture.Streaming.Protocols;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Osc;

/// <summary>
/// Sends the stream as Open Sound Control 1.0 to the receivers registered with <see cref="AddClient"/>: one address per
/// data type (<c>/friture/pitch</c>, <c>/friture/levels</c>, <c>/friture/octave</c>, ...; see <c>docs/mqtt-osc.md</c>),
/// over UDP or over TCP with SLIP framing. Every data message ends with its metadata (<c>sequence_number</c>,
/// <c>stream_time</c>; <see cref="OscProtocolOptions.MetadataArguments"/>).
/// </summary>
/// <remarks>
/// <para>
/// Each message travels in a bundle whose NTP time tag is the result's time on the audio clock: the wall time at which
/// the stream started (taken from the first message as <c>timestamp - stream_time</c>) plus <c>stream_time</c>. The
/// anchor is taken again when the two clocks drift apart by more than one second (a new stream).
/// </para>
/// <para>
/// <see cref="StreamingProtocol.Broadcast"/> never blocks: it encodes once (OSC has its own encoding, so the format argument is ignored)
/// and queues the packet for each target; a full queue drops its oldest packet and counts it.
/// <see cref="StreamingProtocol.Host"/>:<see cref="StreamingProtocol.Port"/> is the local UDP socket (default
/// <c>localhost:0</c>, any free port).
/// </para>
/// <para>
/// Over TCP, each new connection starts with the message <c>&lt;prefix&gt;/hello ,s "friture"</c>: liblo (oscdump, Pure
/// Data's mrpeach, SuperCollider's liblo-based tools) recognises a SLIP stream only when its first packet is a message.
/// </para>
/// </remarks>
public sealed class OscProtocol : StreamingProtocol
{
    private readonly ConcurrentDictionary<IPEndPoint, OscTarget> _targets = new();
    private readonly Lock _encodeLock = new();
    private readonly OscWriter _writer = new();
    private readonly OscPayloadEncoder _encoder;
    private readonly byte[] _greeting;
    private Socket? _socket;
    private CancellationTokenSource? _stopping;
    private DateTimeOffset? _anchor;
    private long _oversize;
    private int _nextId;
    private int _nextMessageId;
    private int _oversizeReported;

    /// <summary>Creates the protocol.</summary>
    /// <param name="host">Local interface of the UDP socket (default <c>localhost</c>).</param>
    /// <param name="port">Local UDP port (default 0: any free port).</param>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public OscProtocol(string host = "localhost", int port = 0, OscProtocolOptions? options = null)
        : base(host, port, options ??= new OscProtocolOptions())
    {
        Options = options;
        _encoder = new OscPayloadEncoder(Options.AddressPrefix, Options.SpectrumPoints, Options.MetadataArguments);
        var greeting = new OscWriter();
        greeting.BeginMessage(Options.AddressPrefix + "/hello", ",s");
        greeting.WriteString("friture");
        _greeting = greeting.ToArray();
    }

    /// <inheritdoc/>
    public override string Name => "osc";

    /// <summary>The settings.</summary>
    public OscProtocolOptions Options { get; }

    /// <summary>The OSC address of a data type, for example <c>/friture/pitch</c>.</summary>
    /// <param name="dataType">The data type.</param>
    /// <returns>The address.</returns>
    public string AddressFor(DataType dataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        return _encoder.AddressFor(dataType);
    }

    /// <summary>Registers a receiver (like <c>UdpProtocol.AddClient</c>); works before and after start.</summary>
    /// <param name="host">The receiver's host name or IP address (<c>localhost</c> is 127.0.0.1).</param>
    /// <param name="port">The receiver's UDP or TCP port, 1 to 65535.</param>
    public void AddClient(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"port is {port}; it must be between 1 and 65535.");
        }

        var endPoint = new IPEndPoint(Resolve(host), port);
        var target = new OscTarget($"osc-{Interlocked.Increment(ref _nextId)}", endPoint, Options, Logger, (message, ex) => OnError(message, ex), _greeting);
        if (_targets.TryAdd(endPoint, target) && _stopping is { } stopping)
        {
            StartTarget(target, stopping.Token);
        }
    }

    /// <summary>Unregisters a receiver.</summary>
    /// <param name="host">The receiver's host name or IP address.</param>
    /// <param name="port">The receiver's port.</param>
    /// <returns>Whether it was registered.</returns>
    public bool RemoveClient(string host, int port)
    {
        if (_targets.TryRemove(new IPEndPoint(Resolve(host), port), out var target))
        {
            target.Complete();
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    protected override Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (Options.Transport == OscTransport.Udp)
        {
            var address = Resolve(Host);
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, Port));
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw new ProtocolException($"osc cannot bind UDP {Host}:{Port}: {ex.Message}", ex);
            }

            Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            _socket = socket;
        }

        _anchor = null;
        var stopping = new CancellationTokenSource();
        foreach (var target in _targets.Values)
        {
            StartTarget(target, stopping.Token);
        }

        // From here on AddClient starts the targets it adds.
        _stopping = stopping;
        Log.Started(Logger, Options.Transport, Host, Port);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        var stopping = _stopping!;
        _stopping = null;
        foreach (var target in _targets.Values)
        {
            target.Complete();
        }

        // Let the queues drain briefly, then cut.
        var loops = _targets.Values.Select(t => t.Loop).OfType<Task>().ToArray();
        await Task.WhenAny(Task.WhenAll(loops), Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)).ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
        _socket?.Dispose();
        _socket = null;

        // Targets stay registered; new queues are made for the next start.
        foreach (var (endPoint, target) in _targets.ToArray())
        {
            _targets[endPoint] = new OscTarget(target.Id, endPoint, Options, Logger, (message, ex) => OnError(message, ex), _greeting);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The format is ignored: OSC has its own binary encoding. Never blocks.</remarks>
    protected override void BroadcastCore(StreamingData data, SerializationFormat format)
    {
        if (_targets.IsEmpty)
        {
            return;
        }

        // The protocol's resolution first (the scope's 64 min/max points fit any packet), then OSC's own spectrum points.
        data = PayloadReducer.Reduce(data, Options.Resolution);
        byte[] packet;
        lock (_encodeLock)
        {
            _writer.Reset();
            if (Options.UseBundles)
            {
                _writer.BeginBundle(TimeTagFor(data.Metadata));
                _writer.BeginElement();
                _encoder.Write(_writer, data);
                _writer.EndElement();
            }
            else
            {
                _encoder.Write(_writer, data);
            }

            packet = _writer.ToArray();
        }

        Send(packet, data.DataType.Name);
    }

    /// <inheritdoc/>
    /// <remarks>Sent as <c>&lt;prefix&gt;/message</c> with one string argument, not bundled.</remarks>
    protected override void SendDataCore(string message)
    {
        if (_targets.IsEmpty)
        {
            return;
        }

        byte[] packet;
        lock (_encodeLock)
        {
            _writer.Reset();
            _writer.BeginMessage(Options.AddressPrefix + "/message", ",s");
            _writer.WriteString(message);
            packet = _writer.ToArray();
        }

        Send(packet, "application");
    }

    /// <inheritdoc/>
    protected override ProtocolStatistics GetStatisticsCore(ProtocolStatistics statistics)
    {
        var clients = _targets.Values.Select(t => t.GetStatistics()).ToArray();
        return statistics with
        {
            ConnectedClients = clients.Length,
            OversizeMessages = Interlocked.Read(ref _oversize),
            MessagesSent = clients.Sum(c => c.Sent),
            MessagesDropped = clients.Sum(c => c.Dropped),
            ClientsWithDrops = clients.Count(c => c.Dropped > 0),
            Clients = [.. clients],
        };
    }

    private static IPAddress Resolve(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address) ? address : Dns.GetHostAddresses(host)[0];
    }

    private ulong TimeTagFor(StreamingMetadata metadata)
    {
        var streamTime = TimeSpan.FromSeconds(metadata.StreamTime);
        var anchor = _anchor;
        if (anchor is null || ((anchor.Value + streamTime) - metadata.Timestamp).Duration() > TimeSpan.FromSeconds(1))
        {
            anchor = metadata.Timestamp - streamTime;
            _anchor = anchor;
        }

        return OscTimeTag.FromDateTimeOffset(anchor.Value + streamTime);
    }

    private void Send(byte[] packet, string kind)
    {
        if (Options.Transport == OscTransport.Udp && packet.Length > Options.MaxPacketBytes)
        {
            if (Options.SplitOversize && Fragment(packet) is { } fragments)
            {
                foreach (var target in _targets.Values)
                {
                    foreach (var fragment in fragments)
                    {
                        target.Enqueue(fragment);
                    }
                }

                return;
            }

            Interlocked.Increment(ref _oversize);
            if (Interlocked.Exchange(ref _oversizeReported, 1) == 0)
            {
                OnError(Options.SplitOversize
                    ? $"A {kind} OSC packet of {packet.Length} bytes exceeds MaxPacketBytes ({Options.MaxPacketBytes}), too small for even one fragment with the address prefix '{Options.AddressPrefix}', and was not sent; raise max_packet_bytes (--osc-max-packet) or use TCP. Further ones are only counted (OversizeMessages)."
                    : $"A {kind} OSC packet of {packet.Length} bytes exceeds MaxPacketBytes ({Options.MaxPacketBytes}) and was not sent because split_oversize is off; turn it on (fragments a receiver reassembles, docs/mqtt-osc.md), raise max_packet_bytes (--osc-max-packet), lower the resolution or use TCP. Further ones are only counted (OversizeMessages).");
            }

            return;
        }

        foreach (var target in _targets.Values)
        {
            target.Enqueue(packet);
        }
    }

    /// <summary>
    /// Splits an oversize packet into <c>&lt;prefix&gt;/fragment ,iiiib</c> messages (message id, index, count, total
    /// bytes, piece), each at most <see cref="OscProtocolOptions.MaxPacketBytes"/>; null when not even a 4-byte piece fits.
    /// </summary>
    private byte[][]? Fragment(byte[] packet)
    {
        var address = Options.AddressPrefix + "/fragment";
        // Address and ",iiiib" tags (each NUL-terminated, padded to 4), four ints, the blob's size.
        var overhead = ((System.Text.Encoding.UTF8.GetByteCount(address) + 4) & ~3) + 8 + 16 + 4;
        var piece = (Options.MaxPacketBytes - overhead) & ~3;
        if (piece < 4)
        {
            return null;
        }

        var count = (packet.Length + piece - 1) / piece;
        var id = Interlocked.Increment(ref _nextMessageId) - 1;
        var fragments = new byte[count][];
        lock (_encodeLock)
        {
            for (var index = 0; index < count; index++)
            {
                _writer.Reset();
                _writer.BeginMessage(address, ",iiiib");
                _writer.WriteInt(id);
                _writer.WriteInt(index);
                _writer.WriteInt(count);
                _writer.WriteInt(packet.Length);
                var start = index * piece;
                _writer.WriteBlob(packet.AsSpan(start, Math.Min(piece, packet.Length - start)));
                fragments[index] = _writer.ToArray();
            }
        }

        return fragments;
    }

    private void StartTarget(OscTarget target, CancellationToken cancellationToken)
    {
        var socket = _socket;
        target.Loop = Task.Run(
            async () =>
            {
                try
                {
                    if (Options.Transport == OscTransport.Udp)
                    {
                        await target.RunUdpAsync(socket!, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await target.RunTcpAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
                {
                }
            },
            CancellationToken.None);
    }
}
