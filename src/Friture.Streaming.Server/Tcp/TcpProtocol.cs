using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Diagnostics;
using Friture.Streaming.Server.Hosting;
using Friture.Streaming.Server.Security;

namespace Friture.Streaming.Server.Tcp;

/// <summary>
/// Streams to TCP clients (<c>TCPProtocol</c> in the original Friture streaming API): every message is framed as its byte length in ASCII
/// decimal, a <c>'\n'</c>, then the payload (JSON or a binary frame).
/// </summary>
/// <remarks>
/// Clients send control messages as single lines of JSON ending in <c>'\n'</c> (see <c>docs/protocols.md</c>): to
/// subscribe, to ping and, when a token is configured, first of all to authenticate. Replies are framed like data.
/// Stopping sends FIN on every connection, waits briefly for the clients to close, and frees the port at once.
/// </remarks>
public sealed class TcpProtocol : StreamingProtocol
{
    /// <summary>The default port, 8766 (as in the original Friture streaming API).</summary>
    public const int DefaultPort = 8766;

    private readonly ClientHub _hub = new("tcp");
    private readonly AccessTokenValidator _token;
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly PendingAuthentications _pendingAuthentications = new();
    private readonly List<Socket> _listeners = [];
    private CancellationTokenSource? _stopping;
    private readonly List<Task> _acceptLoops = [];

    /// <summary>Creates the protocol (<c>TCPProtocol(host='localhost', port=8766)</c> in the original Friture streaming API).</summary>
    /// <param name="host">Interface to bind (default <c>localhost</c>: local clients only).</param>
    /// <param name="port">Port (default 8766; 0 picks a free port at start).</param>
    /// <param name="options">Settings; validated here.</param>
    public TcpProtocol(string host = "localhost", int port = DefaultPort, TcpProtocolOptions? options = null)
        : base(host, port, options ??= new TcpProtocolOptions())
    {
        Options = options;
        _token = new AccessTokenValidator(Options.AccessToken);
        _hub.EncodingFailed = (message, ex) => OnError(ClientHub.DescribeEncodingFailure(Name, message, ex), ex);
    }

    private enum LineStatus
    {
        Line,
        Closed,
        TooLong,
    }

    /// <inheritdoc/>
    public override string Name => "tcp";

    /// <summary>The settings.</summary>
    public TcpProtocolOptions Options { get; }

    /// <inheritdoc/>
    protected override Task StartCoreAsync(CancellationToken cancellationToken)
    {
        // Where the web server listens: for localhost both 127.0.0.1 and [::1], on one port.
        var addresses = Addresses.Listen(Host);
        var port = Port;
        try
        {
            for (var i = 0; i < addresses.Count; i++)
            {
                var listener = Bind(addresses[i], port, optional: i > 0 && addresses[i].Equals(IPAddress.IPv6Loopback));
                if (listener is not null)
                {
                    _listeners.Add(listener);
                    port = ((IPEndPoint)listener.LocalEndPoint!).Port;
                }
            }
        }
        catch
        {
            CloseListeners();
            throw;
        }

        Port = port;
        _stopping = new CancellationTokenSource();
        foreach (var listener in _listeners)
        {
            _acceptLoops.Add(AcceptLoopAsync(listener, _stopping.Token));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        var stopping = _stopping!;
        await stopping.CancelAsync().ConfigureAwait(false);
        CloseListeners();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _acceptLoops.Clear();
        await _hub.CloseAllAsync(Options.CloseTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_connections.Keys).WaitAsync(Options.CloseTimeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        stopping.Dispose();
        _stopping = null;
    }

    private Socket? Bind(IPAddress address, int port, bool optional)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                listener.DualMode = false;
            }

            if (!OperatingSystem.IsWindows())
            {
                // Lets a restart rebind while old connections sit in TIME_WAIT; a live listener still conflicts.
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(512);
            return listener;
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            if (optional)
            {
                // Like Kestrel for localhost: IPv6 loopback is a bonus when IPv4 loopback is bound.
                OnError($"The tcp protocol listens on 127.0.0.1:{port} only: [::1]:{port} cannot be bound ({ex.Message}).", ex);
                return null;
            }

            throw KestrelHost.BindError(Name, Host, port, ex);
        }
    }

    private void CloseListeners()
    {
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
    }

    /// <inheritdoc/>
    protected override void BroadcastCore(StreamingData data, SerializationFormat format) => _hub.Broadcast(data, format);

    /// <inheritdoc/>
    protected override void SendDataCore(string message) => _hub.SendText(message);

    /// <inheritdoc/>
    protected override ProtocolStatistics GetStatisticsCore(ProtocolStatistics statistics) => _hub.GetStatistics(statistics);

    private static LineStatus TryReadLine(ref ReadOnlySequence<byte> buffer, int max, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return buffer.Length > max ? LineStatus.TooLong : LineStatus.Closed;
        }

        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return line.Length > max ? LineStatus.TooLong : LineStatus.Line;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (!cancellationToken.IsCancellationRequested && ex is SocketException)
                {
                    OnError($"The tcp protocol failed to accept a connection on port {Port}: {ex.Message}", ex);
                    continue;
                }

                return;
            }

            // No slot yet: a client authenticates first (when a token is set), so connections that never authenticate
            // cannot hold the slots of those that do.
            var remote = socket.RemoteEndPoint?.ToString() ?? "?";
            var task = Task.Run(() => HandleClientAsync(socket, remote, cancellationToken), CancellationToken.None);
            _connections.TryAdd(task, 0);
            _ = task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _connections,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task HandleClientAsync(Socket socket, string remote, CancellationToken stopping)
    {
        socket.NoDelay = true;
        var address = (socket.RemoteEndPoint as IPEndPoint)?.Address;
        var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var session = new TcpClientSession(_hub.NextClientId(), remote, Options, ClientSubscription.All, stream) { Address = address };
        var slotHeld = false;
        try
        {
            if (_token.IsRequired && !await AuthenticateAsync(reader, socket, remote, stopping).ConfigureAwait(false))
            {
                return;
            }

            if (await _hub.AcquireSlotAsync(address, Options, Name).ConfigureAwait(false) is { } refusal)
            {
                _hub.CountRejected();
                Log.ClientRejected(Logger, Name, remote, refusal);
                await SendErrorAndFinishAsync(socket, refusal).ConfigureAwait(false);
                return;
            }

            slotHeld = true;
            if (_token.IsRequired)
            {
                session.Enqueue(ControlReplies.Authenticated());
            }

            _hub.Add(session);
            Log.ClientConnected(Logger, Name, session.ClientId, remote);
            var send = session.RunSendLoopAsync();
            var receive = ReceiveLoopAsync(session, reader);
            var first = await Task.WhenAny(send, receive).ConfigureAwait(false);
            if (first == receive && await receive.ConfigureAwait(false) == LineStatus.TooLong)
            {
                // Tell the client why, then close politely.
                session.Enqueue(ControlReplies.Error($"Control messages are limited to {Options.MaxInboundMessageBytes} bytes per line."));
                session.Complete();
            }
            else if (first == receive)
            {
                session.Abort();
            }

            await ObserveAsync(send).ConfigureAwait(false);
            if (session.Evicted)
            {
                Log.ClientEvicted(Logger, Name, session.ClientId);
            }
            else if (session.Overflowed)
            {
                Log.ClientOverflowed(Logger, Name, session.ClientId);
            }

            await CloseAsync(socket, receive, session).ConfigureAwait(false);
        }
        finally
        {
            _hub.Remove(session);
            if (slotHeld)
            {
                // Before Closed completes, so an eviction waiting on it finds the slot free.
                _hub.ReleaseSlot(address);
            }

            session.MarkClosed();
            if (slotHeld)
            {
                Log.ClientDisconnected(Logger, Name, session);
            }

            await reader.CompleteAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> AuthenticateAsync(PipeReader reader, Socket socket, string remote, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(Options.AuthenticationTimeout, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        var pending = _pendingAuthentications.Enter(linked, Options.MaxPendingAuthentications);
        string reason;
        try
        {
            var (status, line) = await ReadLineAsync(reader, linked.Token).ConfigureAwait(false);
            var error = string.Empty;
            if (status == LineStatus.Line && SubscriptionParser.TryParseControl(line, out var message, out error))
            {
                if (message.Action == ControlAction.Auth && _token.IsValid(message.Token))
                {
                    return true;
                }

                reason = message.Action == ControlAction.Auth ? "A valid bearer token is required." : "The first message must be {\"action\":\"auth\",\"token\":\"...\"}.";
            }
            else
            {
                reason = status == LineStatus.Line ? error : "The first message must be {\"action\":\"auth\",\"token\":\"...\"}.";
            }
        }
        catch (OperationCanceledException)
        {
            reason = pending.Displaced
                ? $"Too many connections are waiting to authenticate (MaxPendingAuthentications {Options.MaxPendingAuthentications}); this one waited longest."
                : $"No auth message within {Options.AuthenticationTimeout.TotalSeconds} s.";
        }
        catch (IOException)
        {
            reason = "The connection failed during authentication.";
        }
        finally
        {
            _pendingAuthentications.Leave(pending);
        }

        _hub.CountRejected();
        Log.ClientRejected(Logger, Name, remote, reason);
        await SendErrorAndFinishAsync(socket, reason).ConfigureAwait(false);
        return false;
    }

    private static async Task SendErrorAndFinishAsync(Socket socket, string reason)
    {
        try
        {
            var frame = new PooledBufferWriter(256);
            TcpClientSession.Frame(frame, ControlReplies.ErrorBytes(reason));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.SendAsync(frame.WrittenMemory, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task<(LineStatus Status, byte[] Line)> ReadLineAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = TryReadLine(ref buffer, Options.MaxInboundMessageBytes, out var line);
            if (status == LineStatus.Line)
            {
                var bytes = TrimCarriageReturn(line.ToArray());
                reader.AdvanceTo(buffer.Start);
                return (status, bytes);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (status == LineStatus.TooLong)
            {
                return (status, []);
            }

            if (result.IsCompleted)
            {
                return (LineStatus.Closed, []);
            }
        }
    }

    private async Task<LineStatus> ReceiveLoopAsync(ClientSession session, PipeReader reader)
    {
        try
        {
            while (true)
            {
                var (status, line) = await ReadLineAsync(reader, session.Aborted).ConfigureAwait(false);
                if (status != LineStatus.Line)
                {
                    return status;
                }

                if (line.Length > 0)
                {
                    ControlHandler.Handle(session, line);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            return LineStatus.Closed;
        }
    }

    private async Task CloseAsync(Socket socket, Task<LineStatus> receive, ClientSession session)
    {
        try
        {
            // FIN: the client reads to the end of the stream, then closes its side.
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        try
        {
            await receive.WaitAsync(Options.CloseTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            session.Abort();
        }
    }

    private async Task ObserveAsync(Task send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Log.ClientFailed(Logger, ex, Name, "send");
        }
    }

    private static byte[] TrimCarriageReturn(byte[] line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
