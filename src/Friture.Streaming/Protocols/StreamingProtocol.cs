using Friture.Streaming.Serialization;

namespace Friture.Streaming.Protocols;

/// <summary>
/// Base of every network protocol (WebSocket, TCP, UDP, HTTP Server-Sent Events, ...): the seed's
/// <c>StreamingProtocol</c>. Add one to the API with <see cref="StreamingApi.AddProtocol"/>; it starts and stops with
/// streaming.
/// </summary>
/// <remarks>
/// Implementations never block the caller of <see cref="SendData"/> or of message delivery: each client has its own
/// bounded queue. <see cref="Host"/> and <see cref="Port"/> may be changed while the protocol is stopped.
/// </remarks>
public abstract class StreamingProtocol : IAsyncDisposable
{
    private string _host;
    private int _port;

    /// <summary>Creates a protocol bound to <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="host">Interface to bind: a host name or IP address (default in every protocol: <c>localhost</c>).</param>
    /// <param name="port">TCP or UDP port, 0 to 65535 (0 picks a free port at start).</param>
    protected StreamingProtocol(string host, int port)
    {
        _host = ValidateHost(host);
        _port = ValidatePort(port);
    }

    /// <summary>Raised when the protocol meets an error (the seed's <c>protocol.error_occurred(error)</c>).</summary>
    public event EventHandler<ProtocolErrorEventArgs>? ErrorOccurred;

    /// <summary>Short protocol name, for example <c>websocket</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the protocol is accepting clients.</summary>
    public bool IsRunning { get; protected set; }

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

    /// <summary>Starts listening.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the protocol accepts clients.</returns>
    /// <exception cref="ProtocolException">The port is in use or cannot be bound; the message names it.</exception>
    public abstract Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes every connection properly and frees the port.</summary>
    /// <param name="cancellationToken">Abandons a graceful close.</param>
    /// <returns>A task that completes when the port is free.</returns>
    public abstract Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a stream message for every connected client whose subscription includes its data type, encoded in
    /// <paramref name="format"/>. Called by <see cref="Consumers.NetworkConsumer"/> off the audio thread. Never blocks:
    /// each client has its own bounded queue and overflow policy, and the message is serialized at most once per format.
    /// </summary>
    /// <param name="data">The message.</param>
    /// <param name="format">The encoding.</param>
    public abstract void Broadcast(StreamingData data, SerializationFormat format);

    /// <summary>
    /// Sends an application-defined text message to every connected client (the seed's <c>send_data</c>, as used by its
    /// dashboard example). Never blocks; a client whose queue is full loses messages by its own policy.
    /// </summary>
    /// <param name="message">The text, usually JSON.</param>
    public abstract void SendData(string message);

    /// <summary>
    /// Counters of the protocol and of each client: sent, dropped and skipped messages, queue length and the adaptive rate.
    /// </summary>
    /// <returns>A snapshot; the base implementation reports only the name, endpoint and state.</returns>
    public virtual ProtocolStatistics GetStatistics() =>
        new() { Name = Name, IsRunning = IsRunning, Host = Host, Port = Port };

    /// <summary>Stops the protocol.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public virtual async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

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
        if (IsRunning)
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
