using Friture.Streaming.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Friture.Streaming.Protocols;

/// <summary>
/// Base of every network protocol (WebSocket, TCP, UDP, HTTP Server-Sent Events, MQTT, OSC, ...), named
/// <c>StreamingProtocol</c> as in the original Friture streaming API. Add one to the API with <see cref="StreamingApi.AddProtocol"/>; it starts and stops with
/// streaming.
/// </summary>
/// <remarks>
/// <para>
/// A template: the public lifecycle (<see cref="StartAsync"/>, <see cref="StopAsync"/>, <see cref="DisposeAsync"/>)
/// belongs to this class, which serialises it, keeps <see cref="IsRunning"/>, logs it and routes errors to
/// <see cref="ErrorOccurred"/>; a protocol implements only what is its own: <see cref="StartCoreAsync"/>,
/// <see cref="StopCoreAsync"/>, <see cref="BroadcastCore"/>, <see cref="SendDataCore"/> and, optionally,
/// <see cref="GetStatisticsCore"/> and <see cref="DisposeCoreAsync"/>. The core methods are never called concurrently
/// with each other's lifecycle counterpart, <see cref="StartCoreAsync"/> only when stopped, <see cref="StopCoreAsync"/>
/// only when running, and the broadcast methods only while running.
/// </para>
/// <para>
/// Implementations never block the caller of <see cref="Broadcast"/> or <see cref="SendData"/>: each client has its
/// own bounded queue. <see cref="Host"/> and <see cref="Port"/> may be changed while the protocol is stopped.
/// </para>
/// </remarks>
public abstract class StreamingProtocol : IAsyncDisposable
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private string _host;
    private int _port;
    private volatile bool _running;
    private int _disposed;
    private long _broadcast;

    /// <summary>Creates a protocol bound to <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="host">Interface to bind: a host name or IP address (default in every protocol: <c>localhost</c>).</param>
    /// <param name="port">TCP or UDP port, 0 to 65535 (0 picks a free port at start).</param>
    /// <param name="options">The protocol's settings, validated here (once); <see langword="null"/> for no logging and the system clock.</param>
    /// <exception cref="ArgumentException">The host, the port or an option is not valid; the message names it.</exception>
    protected StreamingProtocol(string host, int port, StreamingProtocolOptions? options = null)
    {
        _host = ValidateHost(host);
        _port = ValidatePort(port);
        options?.Validate();
        CommonOptions = options;
        TimeProvider = options?.TimeProvider ?? TimeProvider.System;
        Logger = options?.LoggerFactory?.CreateLogger(GetType()) ?? NullLogger.Instance;
    }

    /// <summary>The options the protocol was created with (for settings: its resolution and whether it was inherited), or null.</summary>
    internal StreamingProtocolOptions? CommonOptions { get; }

    /// <summary>Raised when the protocol meets an error (<c>protocol.error_occurred(error)</c> in the original Friture streaming API).</summary>
    public event EventHandler<ProtocolErrorEventArgs>? ErrorOccurred;

    /// <summary>Short protocol name, for example <c>websocket</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the protocol is accepting clients (between a successful start and the beginning of a stop).</summary>
    public bool IsRunning => _running;

    /// <summary>Interface to bind. Changing it while running throws.</summary>
    /// <exception cref="InvalidOperationException">The protocol is running.</exception>
    public string Host
    {
        get => _host;
        set
        {
            ThrowIfRunning();
            _host = ValidateHost(value);
        }
    }

    /// <summary>Port to bind (after start, the port actually bound). Changing it while running throws.</summary>
    /// <exception cref="InvalidOperationException">The protocol is running.</exception>
    public int Port
    {
        get => _port;
        set
        {
            ThrowIfRunning();
            _port = ValidatePort(value);
        }
    }

    /// <summary>The logger of the concrete protocol (its category is the protocol's type), or a null logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>The clock from the options.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>Starts listening. Does nothing when already running.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the protocol accepts clients.</returns>
    /// <exception cref="ProtocolException">The port is in use or cannot be bound; the message names it.</exception>
    /// <exception cref="ObjectDisposedException">The protocol was disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_running)
            {
                return;
            }

            try
            {
                await StartCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ProtocolLog.StartFailed(Logger, Name, Host, Port, ex.Message);
                throw;
            }

            _running = true;
            ProtocolLog.Started(Logger, Name, Host, Port);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Closes every connection properly and frees the port. Does nothing when not running. A failure while stopping is
    /// reported through <see cref="ErrorOccurred"/> and the log; the protocol is stopped all the same.
    /// </summary>
    /// <param name="cancellationToken">Abandons a graceful close (connections are then cut).</param>
    /// <returns>A task that completes when the port is free.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            try
            {
                await StopCoreAsync(cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Stopping must end in a stopped protocol whatever the transport does; the error is reported.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ProtocolLog.StopFailed(Logger, ex, Name);
                OnError($"The {Name} protocol failed while stopping: {ex.Message}", ex);
            }

            ProtocolLog.Stopped(Logger, Name);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Queues a stream message for every connected client whose subscription includes its data type, encoded in
    /// <paramref name="format"/>. Called by <see cref="Consumers.NetworkConsumer"/> off the audio thread. Never blocks:
    /// each client has its own bounded queue and overflow policy, and the message is serialized at most once per format.
    /// Counted in <see cref="ProtocolStatistics.MessagesBroadcast"/> and ignored while the protocol is not running.
    /// </summary>
    /// <param name="data">The message.</param>
    /// <param name="format">The encoding.</param>
    public void Broadcast(StreamingData data, SerializationFormat format)
    {
        ArgumentNullException.ThrowIfNull(data);
        Interlocked.Increment(ref _broadcast);
        if (_running)
        {
            BroadcastCore(data, format);
        }
    }

    /// <summary>
    /// Sends an application-defined text message to every connected client (<c>send_data</c> in the original Friture streaming API, as used by its
    /// dashboard example). Never blocks; a client whose queue is full loses messages by its own policy. Counted in
    /// <see cref="ProtocolStatistics.MessagesBroadcast"/> and ignored while the protocol is not running.
    /// </summary>
    /// <param name="message">The text, usually JSON.</param>
    public void SendData(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref _broadcast);
        if (_running)
        {
            SendDataCore(message);
        }
    }

    /// <summary>
    /// Counters of the protocol and of each client: sent, dropped and skipped messages, queue length and the adaptive rate.
    /// </summary>
    /// <returns>A snapshot.</returns>
    public ProtocolStatistics GetStatistics() => GetStatisticsCore(new ProtocolStatistics
    {
        Name = Name,
        IsRunning = _running,
        Host = Host,
        Port = Port,
        MessagesBroadcast = Interlocked.Read(ref _broadcast),
    });

    /// <summary>Stops the protocol, then releases what <see cref="DisposeCoreAsync"/> releases. Calling it again does nothing.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Binds the port (or starts the connection loop) so the protocol accepts clients; called only when stopped.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when clients are accepted; <see cref="Port"/> then holds the port bound.</returns>
    /// <exception cref="ProtocolException">The endpoint cannot be used; the message names it and the reason.</exception>
    protected abstract Task StartCoreAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Closes the connections properly (their queues drain first, within the protocol's close timeout) and frees the
    /// port; called only when running, after <see cref="IsRunning"/> has turned false (no more broadcasts arrive).
    /// </summary>
    /// <param name="cancellationToken">Abandons the graceful close.</param>
    /// <returns>A task that completes when the port is free.</returns>
    protected abstract Task StopCoreAsync(CancellationToken cancellationToken);

    /// <summary>Queues <paramref name="data"/> for the clients; called only while running, never blocks.</summary>
    /// <param name="data">The message, not null.</param>
    /// <param name="format">The encoding.</param>
    protected abstract void BroadcastCore(StreamingData data, SerializationFormat format);

    /// <summary>Queues an application text for the clients; called only while running, never blocks.</summary>
    /// <param name="message">The text, not null.</param>
    protected abstract void SendDataCore(string message);

    /// <summary>Adds the protocol's own counters and clients to the snapshot the base has filled.</summary>
    /// <param name="statistics">Name, state, host, port and <see cref="ProtocolStatistics.MessagesBroadcast"/>.</param>
    /// <returns>The completed snapshot (by default <paramref name="statistics"/> itself).</returns>
    protected virtual ProtocolStatistics GetStatisticsCore(ProtocolStatistics statistics) => statistics;

    /// <summary>Releases what the protocol holds beyond a stop; called once, after the final stop.</summary>
    /// <returns>A task that completes when released.</returns>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    /// <summary>Raises <see cref="ErrorOccurred"/>; handlers that throw are ignored.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="exception">The underlying exception, if any.</param>
    protected void OnError(string message, Exception? exception = null)
    {
        var handler = ErrorOccurred;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, new ProtocolErrorEventArgs(Name, message, exception));
        }
#pragma warning disable CA1031 // A faulty error handler must not take the protocol down.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Throws when running.</summary>
    /// <exception cref="InvalidOperationException">The protocol is running.</exception>
    protected void ThrowIfRunning()
    {
        if (_running)
        {
            throw new InvalidOperationException($"The {Name} protocol is running; stop it before changing its endpoint.");
        }
    }

    private static string ValidateHost(string host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new ArgumentException("host must be a host name or IP address, not empty.", nameof(host));
        }

        return host;
    }

    private static int ValidatePort(int port)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"port is {port}; it must be between 0 and 65535.");
        }

        return port;
    }
}
