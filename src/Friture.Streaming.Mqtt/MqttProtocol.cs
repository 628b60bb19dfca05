using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Friture.Streaming.Mqtt.Diagnostics;
using Friture.Streaming.Protocols;
using Friture.Streaming.RateLimiting;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Friture.Streaming.Mqtt;

/// <summary>
/// Publishes the stream to an MQTT broker: each message to <c>&lt;prefix&gt;/&lt;source id&gt;/&lt;data_type&gt;</c>,
/// encoded as the JSON envelope or the binary frame, with a retained <c>&lt;prefix&gt;/&lt;source id&gt;/status</c>
/// topic (<c>online</c>, and <c>offline</c> as the last will).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="StreamingProtocol.Host"/> and <see cref="StreamingProtocol.Port"/> are the broker (default
/// <c>localhost:1883</c>). <see cref="StreamingProtocol.StartAsync"/> starts a background connection loop and returns without waiting for
/// the broker: when the broker is unreachable or goes away, the loop reconnects with exponential backoff
/// (<see cref="MqttProtocolOptions.ReconnectInitialDelay"/> doubled up to <see cref="MqttProtocolOptions.ReconnectMaxDelay"/>)
/// and publishing resumes on its own, without restarting the pipeline.
/// </para>
/// <para>
/// <see cref="StreamingProtocol.Broadcast"/> never blocks: it encodes the message and puts it in a bounded queue that drops the oldest
/// message when full. Everything that could not be published is counted (<see cref="GetMqttStatistics"/>).
/// <see cref="StreamingProtocol.SendData"/> publishes application text to <c>&lt;prefix&gt;/&lt;source id&gt;/message</c>.
/// </para>
/// </remarks>
public sealed class MqttProtocol : StreamingProtocol
{
    /// <summary>The standard MQTT port, 1883 (8883 is the usual TLS port).</summary>
    public const int DefaultPort = 1883;

    private readonly ConcurrentDictionary<DataType, TokenBucket?> _rates = new();
    private readonly ConcurrentDictionary<DataType, string> _topics = new();
    private readonly Lock _clientLock = new();
    private Channel<MqttOutgoingMessage>? _queue;
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private IMqttClient? _client;
    private long _received;
    private long _published;
    private long _bytesPublished;
    private long _skipped;
    private long _dropped;
    private long _failed;
    private long _abandoned;
    private long _connections;
    private long _connectFailures;

    /// <summary>Creates the protocol.</summary>
    /// <param name="host">The broker's host name or IP address (default <c>localhost</c>).</param>
    /// <param name="port">The broker's port (default 1883).</param>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public MqttProtocol(string host = "localhost", int port = DefaultPort, MqttProtocolOptions? options = null)
        : base(host, port, options ??= new MqttProtocolOptions())
    {
        Options = options;
        SourceId = Options.EffectiveSourceId;
        TopicRoot = $"{Options.TopicPrefix}/{SourceId}";
        StatusTopic = $"{TopicRoot}/status";
        MessageTopic = $"{TopicRoot}/message";
        ClientId = Options.ClientId ?? $"friture-{SourceId}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <inheritdoc/>
    public override string Name => "mqtt";

    /// <summary>The settings.</summary>
    public MqttProtocolOptions Options { get; }

    /// <summary>The source id used in topics (sanitised).</summary>
    public string SourceId { get; }

    /// <summary>The MQTT client id.</summary>
    public string ClientId { get; }

    /// <summary><c>&lt;prefix&gt;/&lt;source id&gt;</c>: subscribe to <c>TopicRoot + "/#"</c> to receive everything.</summary>
    public string TopicRoot { get; }

    /// <summary>The retained status topic: <c>online</c> while connected, <c>offline</c> after a clean stop or as the last will.</summary>
    public string StatusTopic { get; }

    /// <summary>The topic of <see cref="StreamingProtocol.SendData"/> texts.</summary>
    public string MessageTopic { get; }

    /// <summary>Whether the client is connected to the broker now.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_clientLock)
            {
                return _client?.IsConnected == true;
            }
        }
    }

    /// <summary>The topic of a data type: <c>&lt;prefix&gt;/&lt;source id&gt;/&lt;data_type&gt;</c>.</summary>
    /// <param name="dataType">The data type.</param>
    /// <returns>The topic.</returns>
    public string TopicFor(DataType dataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        return _topics.GetOrAdd(dataType, static (type, root) => $"{root}/{type.Name}", TopicRoot);
    }

    /// <inheritdoc/>
    protected override Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (Port == 0)
        {
            throw new ProtocolException($"mqtt needs the broker's port; port 0 is not valid (the standard port is {DefaultPort}).");
        }

        var queue = Channel.CreateBounded<MqttOutgoingMessage>(
            new BoundedChannelOptions(Options.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            _ => Interlocked.Increment(ref _dropped));
        _queue = queue;
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _loop = Task.Run(() => RunAsync(queue, token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// While the broker is connected, what is queued is published first, for at most
    /// <see cref="MqttProtocolOptions.DrainTimeout"/>; the rest is counted in <see cref="MqttStatistics.Abandoned"/>.
    /// </remarks>
    protected override async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        var queue = _queue!;
        var stopping = _stopping!;
        var loop = _loop!;
        queue.Writer.TryComplete();
        if (IsConnected && Options.DrainTimeout > TimeSpan.Zero)
        {
            // The publish loop ends by itself once the completed queue is empty.
            try
            {
                await loop.WaitAsync(Options.DrainTimeout, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
            }
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        long abandoned = 0;
        while (queue.Reader.TryRead(out _))
        {
            abandoned++;
        }

        Interlocked.Add(ref _abandoned, abandoned);
        IMqttClient? client;
        lock (_clientLock)
        {
            client = _client;
            _client = null;
        }

        if (client is not null)
        {
            await CloseAsync(client, cancellationToken).ConfigureAwait(false);
        }

        stopping.Dispose();
        _stopping = null;
        _loop = null;
        var statistics = GetMqttStatistics();
        Log.Stopped(Logger, statistics.Published, statistics.Dropped, statistics.Failed, statistics.Abandoned);
        if (abandoned > 0)
        {
            OnError($"mqtt stopped with {abandoned} queued messages unpublished (the broker at {Host}:{Port} was not connected, or they did not go out within DrainTimeout, {Options.DrainTimeout.TotalSeconds:0.###} s); they are counted in the statistics as Abandoned.");
        }
    }

    /// <inheritdoc/>
    /// <remarks>Never blocks: encodes on the caller's thread, then queues (drop-oldest). Skipped when over the type's rate.</remarks>
    protected override void BroadcastCore(StreamingData data, SerializationFormat format)
    {
        Interlocked.Increment(ref _received);
        var queue = _queue;
        if (queue is null)
        {
            return;
        }

        var bucket = _rates.GetOrAdd(data.DataType, static (type, rates) =>
            rates.Options.RatesHz.TryGetValue(type.Name, out var rate) && rate > 0
                ? new TokenBucket(rate, 1.0, rates.Options.TimeProvider)
                : null, this);
        if (bucket is not null && !bucket.TryAcquire())
        {
            Interlocked.Increment(ref _skipped);
            return;
        }

        var reduced = PayloadReducer.Reduce(data, Options.Resolution);
        var payload = format == SerializationFormat.Binary ? BinaryFrame.ToArray(reduced) : StreamingJson.SerializeToUtf8Bytes(reduced);
        Enqueue(queue, new MqttOutgoingMessage(TopicFor(data.DataType), payload));
    }

    /// <inheritdoc/>
    /// <remarks>Publishes the UTF-8 text to <see cref="MessageTopic"/>, with the same QoS and queue as the stream.</remarks>
    protected override void SendDataCore(string message)
    {
        Interlocked.Increment(ref _received);
        if (_queue is { } queue)
        {
            Enqueue(queue, new MqttOutgoingMessage(MessageTopic, Encoding.UTF8.GetBytes(message)));
        }
    }

    /// <summary>MQTT-specific counters: published, dropped, failed, skipped, connections.</summary>
    /// <returns>A snapshot.</returns>
    public MqttStatistics GetMqttStatistics()
    {
        var dropped = Interlocked.Read(ref _dropped);
        var failed = Interlocked.Read(ref _failed);
        var abandoned = Interlocked.Read(ref _abandoned);
        return new MqttStatistics
        {
            IsConnected = IsConnected,
            Received = Interlocked.Read(ref _received),
            Published = Interlocked.Read(ref _published),
            BytesPublished = Interlocked.Read(ref _bytesPublished),
            Skipped = Interlocked.Read(ref _skipped),
            Dropped = dropped,
            Failed = failed,
            Abandoned = abandoned,
            Unpublished = dropped + failed + abandoned,
            Connections = Interlocked.Read(ref _connections),
            ConnectFailures = Interlocked.Read(ref _connectFailures),
            QueueLength = _queue?.Reader.Count ?? 0,
            QueueCapacity = Options.QueueCapacity,
        };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The broker connection appears as the one client: <c>MessagesSent</c> = published, <c>MessagesDropped</c> = every
    /// message not published (queue overflow and failed publishes).
    /// </remarks>
    protected override ProtocolStatistics GetStatisticsCore(ProtocolStatistics statistics)
    {
        var mqtt = GetMqttStatistics();
        return statistics with
        {
            ConnectedClients = mqtt.IsConnected ? 1 : 0,
            AcceptedConnections = mqtt.Connections,
            RejectedConnections = mqtt.ConnectFailures,
            MessagesSent = mqtt.Published,
            MessagesDropped = mqtt.Unpublished,
            ClientsWithDrops = mqtt.Unpublished > 0 ? 1 : 0,
            Clients =
            [
                new ClientStatistics
                {
                    ClientId = ClientId,
                    RemoteEndPoint = $"{Host}:{Port}",
                    QueueLength = mqtt.QueueLength,
                    QueueCapacity = mqtt.QueueCapacity,
                    Sent = mqtt.Published,
                    Dropped = mqtt.Unpublished,
                    Skipped = mqtt.Skipped,
                    BytesSent = mqtt.BytesPublished,
                },
            ],
        };
    }

    private static MqttQualityOfServiceLevel ToLevel(MqttQualityOfService qos) => (MqttQualityOfServiceLevel)(int)qos;

    private void Enqueue(Channel<MqttOutgoingMessage> queue, MqttOutgoingMessage message)
    {
        if (!queue.Writer.TryWrite(message))
        {
            // Completed by StopAsync between the IsRunning check and here.
            Interlocked.Increment(ref _abandoned);
        }
    }

    private async Task RunAsync(Channel<MqttOutgoingMessage> queue, CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(Options.ReconnectInitialDelay, Options.ReconnectMaxDelay);
        var reader = queue.Reader;
        var reportedOutage = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            IMqttClient client;
            try
            {
                client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                backoff.Reset();
                reportedOutage = false;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var delay = backoff.NextDelay();

                // The timer exists before the failure is counted, so a fake clock advanced after the count fires it.
                var wait = Task.Delay(delay, Options.TimeProvider, cancellationToken);
                Interlocked.Increment(ref _connectFailures);
                Log.ConnectFailed(Logger, ex, Host, Port, delay.TotalMilliseconds);
                if (!reportedOutage)
                {
                    reportedOutage = true;
                    OnError($"mqtt cannot connect to the broker at {Host}:{Port} ({ex.Message}); retrying with backoff up to {Options.ReconnectMaxDelay.TotalSeconds:0.#} s. Messages are queued (capacity {Options.QueueCapacity}, oldest dropped) until it is back.", ex);
                }

                await wait.ConfigureAwait(false);
                continue;
            }

            try
            {
                await PublishLoopAsync(client, reader, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ConnectionLost(Logger, ex, Host, Port);
                reportedOutage = true;
                OnError($"mqtt lost the broker at {Host}:{Port} ({ex.Message}); reconnecting. Messages are queued (capacity {Options.QueueCapacity}, oldest dropped) until it is back.", ex);
                lock (_clientLock)
                {
                    if (ReferenceEquals(_client, client))
                    {
                        _client = null;
                    }
                }

                client.Dispose();
                await Task.Delay(backoff.NextDelay(), Options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PublishLoopAsync(IMqttClient client, ChannelReader<MqttOutgoingMessage> reader, CancellationToken stopping)
    {
        // An idle stream must notice a lost broker too (to reconnect and restore "online"), not only the next publish.
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        client.DisconnectedAsync += _ =>
        {
            try
            {
                lost.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }

            return Task.CompletedTask;
        };
        if (!client.IsConnected)
        {
            await lost.CancelAsync().ConfigureAwait(false);
        }

        var cancellationToken = lost.Token;
        var level = ToLevel(Options.QualityOfService);
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                var application = new MqttApplicationMessageBuilder()
                    .WithTopic(message.Topic)
                    .WithPayload(message.Payload)
                    .WithQualityOfServiceLevel(level)
                    .WithRetainFlag(Options.Retain)
                    .Build();
                try
                {
                    var result = await client.PublishAsync(application, cancellationToken).ConfigureAwait(false);
                    if (result.IsSuccess)
                    {
                        Interlocked.Increment(ref _published);
                        Interlocked.Add(ref _bytesPublished, message.Payload.Length);
                    }
                    else
                    {
                        Interlocked.Increment(ref _failed);
                    }
                }
                catch (Exception) when (!stopping.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failed);
                    throw;
                }
            }
        }
    }

    private async Task<IMqttClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(Host, Port)
                .WithClientId(ClientId)
                .WithCleanSession(true)
                .WithKeepAlivePeriod(Options.KeepAlivePeriod)
                .WithTimeout(Options.Timeout)
                .WithWillTopic(StatusTopic)
                .WithWillPayload("offline"u8.ToArray())
                .WithWillRetain(true)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (Options.Username is not null)
            {
                builder = builder.WithCredentials(Options.Username, Options.Password);
            }

            if (Options.UseTls)
            {
                builder = builder.WithTlsOptions(ConfigureTls);
            }

            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(Options.Timeout);
                await client.ConnectAsync(builder.Build(), timeout.Token).ConfigureAwait(false);
            }

            await client.PublishAsync(
                new MqttApplicationMessageBuilder()
                    .WithTopic(StatusTopic)
                    .WithPayload("online"u8.ToArray())
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithRetainFlag(true)
                    .Build(),
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        lock (_clientLock)
        {
            _client = client;
        }

        Interlocked.Increment(ref _connections);
        Log.Connected(Logger, Host, Port, ClientId, TopicRoot);
        return client;
    }

    private void ConfigureTls(MqttClientTlsOptionsBuilder tls)
    {
        tls.UseTls();
        if (Options.TlsAllowUntrustedCertificates)
        {
            tls.WithAllowUntrustedCertificates()
                .WithIgnoreCertificateChainErrors()
                .WithCertificateValidationHandler(static _ => true);
        }
        else if (Options.TlsCaFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            tls.WithCertificateValidationHandler(args =>
            {
                if (args.Certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var certificate = new X509Certificate2(args.Certificate);
                var nameOk = (args.SslPolicyErrors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
                return nameOk && chain.Build(certificate);
            });
        }
    }

    private async Task CloseAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await client.PublishAsync(
                    new MqttApplicationMessageBuilder()
                        .WithTopic(StatusTopic)
                        .WithPayload("offline"u8.ToArray())
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithRetainFlag(true)
                        .Build(),
                    timeout.Token).ConfigureAwait(false);
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Stopping must free the connection whatever the broker does.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            client.Dispose();
        }
    }
}
