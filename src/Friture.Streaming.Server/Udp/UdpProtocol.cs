using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Hosting;

namespace Friture.Streaming.Server.Udp;

/// <summary>
/// Sends every message as one datagram to each client registered with <see cref="AddClient"/> (<c>UDPProtocol</c> in
/// the original Friture streaming API), from a socket bound to <c>host:port</c>.
/// </summary>
/// <remarks>
/// A message larger than <see cref="UdpProtocolOptions.MaxDatagramBytes"/> is sent as fragment datagrams that a
/// receiver reassembles (<see cref="UdpProtocolOptions.SplitOversize"/>, docs/wire-format.md "UDP fragments"); with
/// splitting off it is not sent: it is counted in <see cref="ProtocolStatistics.OversizeMessages"/> and the first one
/// is reported through <see cref="StreamingProtocol.ErrorOccurred"/>. Each client has its own queue, rate and subscription.
/// </remarks>
public sealed class UdpProtocol : StreamingProtocol
{
    /// <summary>The default port, 8767 (as in the original Friture streaming API).</summary>
    public const int DefaultPort = 8767;

    private readonly ClientHub _hub = new("udp");
    private readonly ConcurrentDictionary<IPEndPoint, ClientSubscription> _registrations = new();
    private readonly ConcurrentDictionary<IPEndPoint, UdpClientSession> _sessions = new();
    private readonly Lock _sessionsLock = new();
    private Socket? _socket;
    private int _oversizeReported;

    /// <summary>Creates the protocol (<c>UDPProtocol(host='localhost', port=8767)</c> in the original Friture streaming API).</summary>
    /// <param name="host">Interface to send from (default <c>localhost</c>).</param>
    /// <param name="port">Local port (default 8767; 0 picks a free port at start).</param>
    /// <param name="options">Settings; validated here.</param>
    public UdpProtocol(string host = "localhost", int port = DefaultPort, UdpProtocolOptions? options = null)
        : base(host, port, options ??= new UdpProtocolOptions())
    {
        Options = options;
        _hub.EncodingFailed = (message, ex) => OnError(ClientHub.DescribeEncodingFailure(Name, message, ex), ex);
    }

    /// <inheritdoc/>
    public override string Name => "udp";

    /// <summary>The settings.</summary>
    public UdpProtocolOptions Options { get; }

    /// <summary>
    /// Registers a client (<c>add_client(host, port)</c> in the original Friture streaming API), or replaces the subscription of one already
    /// registered. Works before and after start.
    /// </summary>
    /// <param name="host">The client's host name or IP address (<c>localhost</c> is 127.0.0.1).</param>
    /// <param name="port">The client's UDP port, 1 to 65535.</param>
    /// <param name="subscription">Data types and rate; every type at full rate when null.</param>
    /// <exception cref="InvalidOperationException">The client limit (<see cref="ProtocolOptions.MaxConnections"/>) is reached.</exception>
    public void AddClient(string host, int port, ClientSubscription? subscription = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"port is {port}; it must be between 1 and 65535.");
        }

        var endPoint = new IPEndPoint(Addresses.Resolve(host)[0], port);
        subscription ??= ClientSubscription.All;
        lock (_sessionsLock)
        {
            if (!_registrations.ContainsKey(endPoint) && _registrations.Count >= Options.MaxConnections)
            {
                _hub.CountRejected();
                throw new InvalidOperationException($"The udp protocol already has its maximum of {Options.MaxConnections} clients (MaxConnections).");
            }

            _registrations[endPoint] = subscription;
            if (_sessions.TryGetValue(endPoint, out var session))
            {
                session.UpdateSubscription(subscription);
            }
            else if (_socket is { } socket)
            {
                StartSession(endPoint, subscription, socket);
            }
        }
    }

    /// <summary>Unregisters a client.</summary>
    /// <param name="host">The client's host name or IP address.</param>
    /// <param name="port">The client's UDP port.</param>
    /// <returns>Whether the client was registered.</returns>
    public bool RemoveClient(string host, int port)
    {
        var endPoint = new IPEndPoint(Addresses.Resolve(host)[0], port);
        lock (_sessionsLock)
        {
            var removed = _registrations.TryRemove(endPoint, out _);
            if (_sessions.TryRemove(endPoint, out var session))
            {
                session.Complete();
            }

            return removed;
        }
    }

    /// <inheritdoc/>
    protected override Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var address = Addresses.Resolve(Host)[0];
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, Port));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw KestrelHost.BindError(Name, Host, Port, ex);
        }

        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        lock (_sessionsLock)
        {
            // From here on AddClient starts sessions itself; those registered before start begin now.
            _socket = socket;
            foreach (var registration in _registrations)
            {
                StartSession(registration.Key, registration.Value, socket);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        Socket? socket;
        lock (_sessionsLock)
        {
            socket = _socket;
            _socket = null;
        }

        await _hub.CloseAllAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        _sessions.Clear();
        socket?.Dispose();
    }

    /// <inheritdoc/>
    protected override void BroadcastCore(StreamingData data, SerializationFormat format)
    {
        if (_hub.IsEmpty)
        {
            return;
        }

        _hub.Broadcast(data, format, maxBytes: Options.SplitOversize ? int.MaxValue : Options.MaxDatagramBytes, onOversize: ReportOversize);
    }

    /// <inheritdoc/>
    protected override void SendDataCore(string message)
    {
        if (_hub.IsEmpty)
        {
            return;
        }

        var encoded = MessageEncoder.EncodeText(message);
        if (!Options.SplitOversize && encoded.Length > Options.MaxDatagramBytes)
        {
            ReportOversize("application", encoded.Length);
        }
        else
        {
            _hub.SendToAll(encoded);
        }

        encoded.Release();
    }

    /// <inheritdoc/>
    protected override ProtocolStatistics GetStatisticsCore(ProtocolStatistics statistics) => _hub.GetStatistics(statistics);

    private void ReportOversize(string kind, int length)
    {
        _hub.CountOversize();
        if (Interlocked.Exchange(ref _oversizeReported, 1) == 0)
        {
            OnError(
                $"A {kind} message of {length} bytes exceeds the UDP datagram limit of {Options.MaxDatagramBytes} bytes (MaxDatagramBytes) and was not sent, because SplitOversize (split_oversize) is off. " +
                "Further oversize messages are only counted (statistics: OversizeMessages). Turn split_oversize on (fragments a receiver reassembles, docs/wire-format.md) " +
                "or reduce the payload: the network-default resolution, the binary format, or a lower data rate.");
        }
    }

    private void StartSession(IPEndPoint endPoint, ClientSubscription subscription, Socket socket)
    {
        var session = new UdpClientSession(_hub.NextClientId(), endPoint, Options, subscription, socket, Options.SplitOversize ? Options.MaxDatagramBytes : 0);
        _sessions[endPoint] = session;
        _hub.Add(session);
        _ = Task.Run(async () =>
        {
            try
            {
                await session.RunSendLoopAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
            finally
            {
                _hub.Remove(session);
                session.MarkClosed();
            }
        });
    }
}
