using System.Collections.Immutable;
using Friture.Streaming.Audio;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Diagnostics;
using Friture.Streaming.Engine;
using Friture.Streaming.Producers;
using Friture.Streaming.Protocols;
using Friture.Streaming.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Friture.Streaming;

/// <summary>
/// The streaming API (<c>StreamingAPI</c> in the original Friture streaming API): audio capture, producers, rate limiting, consumer queues and
/// network protocols behind one facade.
/// </summary>
/// <remarks>
/// <para>
/// Use <see cref="GetStreamingApi"/> (the process-wide instance, named as in the original Friture streaming API's
/// <c>get_streaming_api()</c>) or construct your own instance. Every member is
/// thread-safe; registering and unregistering consumers while streaming is normal use.
/// </para>
/// <para>
/// The capture thread calls each active producer for each block, asks the rate limiter, builds payloads and hands each
/// message to every consumer's bounded queue without waiting. Producers of a data type with no consumer do no work.
/// Consumer code, event handlers and network I/O all run elsewhere, so nothing a consumer does can block the audio path.
/// </para>
/// <para>
/// This class is the facade: it validates arguments, raises events and orders the lifecycle. The engine behind it lives
/// in <c>Friture.Streaming.Engine</c> (internal): the capture-thread dispatcher, the producer, consumer and protocol
/// registries, the shared resources producers use, and the statistics snapshot.
/// </para>
/// </remarks>
public sealed class StreamingApi : IAsyncDisposable
{
    private static readonly Lazy<StreamingApi> DefaultInstance = new(() => new StreamingApi());

    private readonly StreamingApiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly RegistrationGate _gate;
    private readonly TypeRegistry _types = new();
    private readonly ErrorRouter _errors;
    private readonly DataTap _tap;
    private readonly ProducerRegistry _producers;
    private readonly ConsumerRegistry _consumers;
    private readonly ProtocolRegistry _protocols;
    private readonly CaptureDispatcher _dispatcher;
    private readonly StreamingMetrics _metrics;
    private IAudioSource? _source;
    private bool _streaming;
    private long _startTimestamp;

    /// <summary>Creates an API instance with default options.</summary>
    public StreamingApi()
        : this(new StreamingApiOptions())
    {
    }

    /// <summary>Creates an API instance.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public StreamingApi(StreamingApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _time = options.TimeProvider;
        _loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<StreamingApi>();
        _source = options.AudioSource;
        _gate = new RegistrationGate(this);
        _errors = new ErrorRouter(options.EventQueueSize, _logger, args => ErrorOccurred?.Invoke(this, args));
        _tap = new DataTap(this, options.EventQueueSize, _gate, _errors);
        BufferManager = new BufferManager(() => _types.All().Select(static s => (s.DataType, s.Totals())));
        RateLimiter = new RateLimiter(_time);
        _producers = new ProducerRegistry(_gate, _types, RateLimiter, _errors);
        _consumers = new ConsumerRegistry(_gate, _types, BufferManager, _time, _loggerFactory, _errors);
        _protocols = new ProtocolRegistry(_gate, _errors);
        _dispatcher = new CaptureDispatcher(_producers, _types, RateLimiter, _gate, _errors, _tap, _time, _loggerFactory,
            options.BlockSize, () => AudioSourceEnded?.Invoke(this, EventArgs.Empty));
        _metrics = new StreamingMetrics(GetStatistics, options.MeterFactory);
    }

    /// <summary>Raised for every published message (<c>data_available(DataType, StreamingData)</c> in the original Friture streaming API).</summary>
    /// <remarks>
    /// Handlers run on a dedicated task, in publication order, never on the audio thread. This event is a tap: it sees
    /// the messages that registered consumers cause to be produced, and does not itself activate producers.
    /// </remarks>
    public event EventHandler<DataAvailableEventArgs>? DataAvailable
    {
        add => _tap.Add(value);
        remove => _tap.Remove(value);
    }

    /// <summary>Raised after a consumer is registered (<c>consumer_registered(DataType, str)</c> in the original Friture streaming API).</summary>
    public event EventHandler<ConsumerEventArgs>? ConsumerRegistered;

    /// <summary>Raised after a consumer is unregistered (<c>consumer_unregistered(DataType, str)</c> in the original Friture streaming API).</summary>
    public event EventHandler<ConsumerEventArgs>? ConsumerUnregistered;

    /// <summary>Raised for every problem (<c>error_occurred(error_type, message)</c> in the original Friture streaming API), on a dedicated task.</summary>
    public event EventHandler<StreamingErrorEventArgs>? ErrorOccurred;

    /// <summary>Raised when a finite audio source (a WAV file that does not loop) reaches its end.</summary>
    public event EventHandler? AudioSourceEnded;

    /// <summary>The process-wide instance, created on first use with default options (public as <see cref="GetStreamingApi"/>).</summary>
    internal static StreamingApi Default => DefaultInstance.Value;

    /// <summary>The consumer queues' configuration and statistics (<c>api._buffer_manager</c> in the original Friture streaming API).</summary>
    public BufferManager BufferManager { get; }

    /// <summary>The rate limiter (<c>api._rate_limiter</c> in the original Friture streaming API).</summary>
    public RateLimiter RateLimiter { get; }

    /// <summary>Whether streaming is started.</summary>
    public bool IsStreaming => Volatile.Read(ref _streaming);

    /// <summary>The clock this instance uses.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>The logger factory this instance uses (for components created on its behalf).</summary>
    public ILoggerFactory LoggerFactory => _loggerFactory;

    /// <summary>The audio source, if any.</summary>
    public IAudioSource? AudioSource => Volatile.Read(ref _source);

    /// <summary>The protocols added.</summary>
    public IReadOnlyList<StreamingProtocol> Protocols => _protocols.Snapshot();

    /// <summary>The registered producers.</summary>
    public IReadOnlyList<DataProducer> Producers => _producers.Producers;

    /// <summary>
    /// The process-wide instance, created on first use with default options (named as in the original Friture streaming
    /// API's <c>get_streaming_api()</c>).
    /// </summary>
    /// <returns>The same instance on every call.</returns>
    public static StreamingApi GetStreamingApi() => Default;

    /// <summary>Registers a producer for its own data type (<c>register_producer</c> in the original Friture streaming API).</summary>
    /// <param name="producer">The producer; its <see cref="DataProducer.ProducerId"/> must be unique.</param>
    /// <exception cref="ArgumentException">Another producer has the same id.</exception>
    public void RegisterProducer(DataProducer producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        RegisterProducer(producer.GetDataType(), producer);
    }

    /// <summary>Registers a producer (<c>register_producer(data_type, producer)</c> in the original Friture streaming API).</summary>
    /// <param name="dataType">The data type; must be the producer's own.</param>
    /// <param name="producer">The producer; its <see cref="DataProducer.ProducerId"/> must be unique.</param>
    /// <exception cref="ArgumentException">The type does not match the producer, or the id is taken.</exception>
    public void RegisterProducer(DataType dataType, DataProducer producer)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(producer);
        if (producer.GetDataType() != dataType)
        {
            throw new ArgumentException(
                $"Producer {producer.ProducerId} produces '{producer.GetDataType().Name}', not '{dataType.Name}'.", nameof(producer));
        }

        _producers.Register(dataType, producer);
    }

    /// <summary>Removes a producer.</summary>
    /// <param name="producerId">The producer's id.</param>
    /// <returns>Whether it was registered.</returns>
    /// <remarks>While streaming, the capture thread may still call the producer for the block in progress.</remarks>
    public bool UnregisterProducer(string producerId) => _producers.Unregister(producerId);

    /// <summary>Registers a consumer for a data type (<c>register_consumer</c> in the original Friture streaming API).</summary>
    /// <param name="dataType">The data type to receive.</param>
    /// <param name="consumer">The consumer; one instance may be registered for several types.</param>
    /// <returns>The consumer's id, for <see cref="UnregisterConsumer(DataType, string)"/>.</returns>
    /// <exception cref="ArgumentException">A different consumer already uses the same id.</exception>
    public string RegisterConsumer(DataType dataType, DataConsumer consumer)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(consumer);
        if (!_consumers.Register(dataType, consumer))
        {
            return consumer.ConsumerId;
        }

        Log.ConsumerRegistered(_logger, consumer.ConsumerId, dataType.Name);
        ConsumerRegistered?.Invoke(this, new ConsumerEventArgs(dataType, consumer.ConsumerId));
        return consumer.ConsumerId;
    }

    /// <summary>Removes one registration of a consumer (<c>unregister_consumer(data_type, consumer_id)</c> in the original Friture streaming API).</summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="consumerId">The id returned by <see cref="RegisterConsumer"/>.</param>
    /// <returns>Whether such a registration existed.</returns>
    /// <remarks>
    /// Messages still queued for that registration are discarded (counted as <see cref="DropReason.Unregistered"/>);
    /// a <see cref="QueueConsumer"/> keeps what it already holds. When it was the consumer's last registration, the
    /// consumer is flushed in the background; <see cref="UnregisterConsumerAsync"/> waits for that.
    /// </remarks>
    public bool UnregisterConsumer(DataType dataType, string consumerId) => UnregisterCore(dataType, consumerId, out _);

    /// <summary>Removes one registration of a consumer and waits until the consumer is flushed when it was its last.</summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="consumerId">The consumer's id.</param>
    /// <param name="cancellationToken">Stops the wait for the flush (the registration is removed and the flush goes on).</param>
    /// <returns>Whether such a registration existed.</returns>
    public async Task<bool> UnregisterConsumerAsync(DataType dataType, string consumerId, CancellationToken cancellationToken = default)
    {
        var found = UnregisterCore(dataType, consumerId, out var retired);
        if (retired is not null)
        {
            await retired.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>Adds a network protocol (<c>add_protocol</c> in the original Friture streaming API); it starts and stops with streaming.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <remarks>Added while streaming, the protocol is started at once (synchronously). Its errors are forwarded to <see cref="ErrorOccurred"/>.</remarks>
    public void AddProtocol(StreamingProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (!_protocols.Add(protocol))
        {
            return;
        }

        if (IsStreaming && !protocol.IsRunning)
        {
            protocol.StartAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>Removes a protocol, stopping it if it runs.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <param name="cancellationToken">Stops the wait for the protocol to stop (it is removed either way).</param>
    /// <returns>A task that completes when it is stopped.</returns>
    public Task<bool> RemoveProtocolAsync(StreamingProtocol protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return _protocols.RemoveAsync(protocol).WaitAsync(cancellationToken);
    }

    /// <summary>Sets or replaces the audio source; when streaming, capture switches to it at once.</summary>
    /// <param name="source">The source, or null to stop capturing.</param>
    /// <remarks>Do not call from a handler running on the capture thread.</remarks>
    public void SetAudioSource(IAudioSource? source) => SetAudioSourceAsync(source).GetAwaiter().GetResult();

    /// <summary>Sets or replaces the audio source; when streaming, capture switches to it.</summary>
    /// <param name="source">The source, or null to stop capturing.</param>
    /// <param name="cancellationToken">Cancels waiting for a start or stop in progress; once the switch has begun it completes.</param>
    /// <returns>A task that completes when the new source captures.</returns>
    public async Task SetAudioSourceAsync(IAudioSource? source, CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await _dispatcher.StopCaptureAsync().ConfigureAwait(false);
            Volatile.Write(ref _source, source);
            if (_streaming && source is not null)
            {
                _dispatcher.StartCapture(source);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts streaming (<c>start_streaming()</c> in the original Friture streaming API): protocols, then audio capture.</summary>
    /// <exception cref="ProtocolException">A protocol could not start (for example, its port is in use).</exception>
    /// <exception cref="AudioSourceException">The audio source could not start.</exception>
    public void StartStreaming() => StartStreamingAsync().GetAwaiter().GetResult();

    /// <summary>Starts streaming: protocols, then audio capture. Does nothing when already streaming.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when everything runs.</returns>
    /// <exception cref="ProtocolException">A protocol could not start; protocols already started are stopped again.</exception>
    /// <exception cref="AudioSourceException">The audio source could not start; protocols are stopped again.</exception>
    public async Task StartStreamingAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (_streaming)
            {
                return;
            }

            try
            {
                await _protocols.StartAllAsync(
                    () =>
                    {
                        if (_source is { } source)
                        {
                            _dispatcher.StartCapture(source);
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _errors.Report(ex is AudioSourceException ? StreamingErrorType.AudioSourceFailed : StreamingErrorType.ProtocolError, ex.Message, ex);
                throw;
            }

            _startTimestamp = _time.GetTimestamp();
            Volatile.Write(ref _streaming, true);
            Log.StreamingStarted(_logger, _source?.Name ?? "none");
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops streaming (<c>stop_streaming()</c> in the original Friture streaming API).</summary>
    public void StopStreaming() => StopStreamingAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Stops streaming: stops capture, delivers every queued message, flushes every consumer (files are complete on
    /// disk when this returns), then stops the protocols, closing their connections and freeing their ports.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for a start or source switch in progress; once stopping has begun it completes, so that no file is left half written.</param>
    /// <returns>A task that completes when everything is stopped.</returns>
    public async Task StopStreamingAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_streaming)
            {
                return;
            }

            await _dispatcher.StopCaptureAsync().ConfigureAwait(false);
            await _consumers.DrainAsync().ConfigureAwait(false);
            await _protocols.StopAllAsync().ConfigureAwait(false);
            Volatile.Write(ref _streaming, false);
            Log.StreamingStopped(_logger);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Waits until every message queued so far has been delivered to its consumer and every consumer has flushed (files
    /// written to disk). Streaming goes on.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait (the flush goes on).</param>
    /// <returns>A task that completes when the queues were drained.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _consumers.DrainAsync().WaitAsync(cancellationToken);

    /// <summary>Sets the maximum rate of a data type (<c>set_rate_limit(data_type, max_rate_hz)</c> in the original Friture streaming API).</summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="maxRateHz">Messages per second per producer; 0 disables limiting.</param>
    public void SetRateLimit(DataType dataType, double maxRateHz)
    {
        RateLimiter.SetRateLimit(dataType, maxRateHz);
        Log.RateLimitSet(_logger, dataType.Name, maxRateHz);
    }

    /// <summary>Whether a consumer is registered for a data type: a producer outside the engine can skip building payloads nobody wants.</summary>
    /// <param name="dataType">The data type.</param>
    /// <returns>Whether any consumer is registered.</returns>
    public bool HasConsumers(DataType dataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        return _types.Find(dataType)?.HasConsumers ?? false;
    }

    /// <summary>
    /// Publishes a payload produced outside the capture loop (a push-style producer), through the same rate limiting,
    /// sequence numbering and queues as built-in producers.
    /// </summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="payload">The payload, of the type's payload type.</param>
    /// <param name="producerId">The producer's id; sequence numbers and rate limits are per id.</param>
    /// <param name="streamTime">Time of the result on the audio clock, in seconds, if any.</param>
    /// <param name="custom">Custom metadata.</param>
    /// <returns><see langword="true"/> when published; <see langword="false"/> when no consumer wants the type or the rate limiter refused.</returns>
    public bool Publish(DataType dataType, StreamingPayload payload, string producerId = "external", double streamTime = 0, ImmutableDictionary<string, string>? custom = null)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrWhiteSpace(producerId);
        return _dispatcher.Publish(dataType, payload, producerId, streamTime, custom);
    }

    /// <summary>Every registered consumer with the data types it is registered for.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<(DataConsumer Consumer, IReadOnlyList<DataType> DataTypes)> GetRegistrations() => _consumers.GetRegistrations();

    /// <summary>Returns the API's statistics (<c>get_statistics()</c> in the original Friture streaming API).</summary>
    /// <returns>A snapshot.</returns>
    public StreamingStatistics GetStatistics() =>
        StatisticsSnapshot.Build(_types, _producers, _consumers, _protocols, RateLimiter, BufferManager, _dispatcher,
            _dispatcher.GetAudioStatistics(Volatile.Read(ref _source)),
            IsStreaming ? _time.GetElapsedTime(_startTimestamp).TotalSeconds : null);

    /// <summary>Stops streaming, delivers and flushes what is queued, then disposes every consumer, protocol and the audio source handed to this instance.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_gate.Disposed)
        {
            return;
        }

        await StopStreamingAsync().ConfigureAwait(false);
        await _dispatcher.StopCaptureAsync().ConfigureAwait(false);
        await _consumers.DrainAsync().ConfigureAwait(false);
        await _consumers.DisposeAllAsync().ConfigureAwait(false);
        await _protocols.DisposeAllAsync().ConfigureAwait(false);
        _source?.Dispose();
        await _tap.DisposeAsync().ConfigureAwait(false);
        await _errors.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _lifecycle.Dispose();
    }

    /// <summary>
    /// The capture thread's work for one block. Internal so tests and benchmarks can drive the engine without a capture
    /// thread; production code reaches it through the capture loop only.
    /// </summary>
    /// <param name="block">The block.</param>
    internal void ProcessAudioBlock(in AudioBlock block) => _dispatcher.ProcessAudioBlock(block);

    private bool UnregisterCore(DataType dataType, string consumerId, out Task? retired)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(consumerId);
        if (!_consumers.Unregister(dataType, consumerId, out retired))
        {
            return false;
        }

        Log.ConsumerUnregistered(_logger, consumerId, dataType.Name);
        ConsumerUnregistered?.Invoke(this, new ConsumerEventArgs(dataType, consumerId));
        return true;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_gate.Disposed, this);
}
