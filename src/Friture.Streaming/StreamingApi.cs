using System.Collections.Immutable;
using Friture.Streaming.Audio;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Diagnostics;
using Friture.Streaming.Producers;
using Friture.Streaming.Protocols;
using Friture.Streaming.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Friture.Streaming;

/// <summary>
/// The streaming API (the seed's <c>StreamingAPI</c>): audio capture, producers, rate limiting, consumer queues and
/// network protocols behind one facade.
/// </summary>
/// <remarks>
/// <para>
/// Use <see cref="Default"/> (the seed's <c>get_streaming_api()</c>) or construct your own instance. Every member is
/// thread-safe; registering and unregistering consumers while streaming is normal use.
/// </para>
/// <para>
/// The capture thread calls each active producer for each block, asks the rate limiter, builds payloads and hands each
/// message to every consumer's bounded queue without waiting. Producers of a data type with no consumer do no work.
/// Consumer code, event handlers and network I/O all run elsewhere, so nothing a consumer does can block the audio path.
/// </para>
/// </remarks>
public sealed class StreamingApi : IAsyncDisposable, IAudioBlockSink
{
    private static readonly Lazy<StreamingApi> DefaultInstance = new(() => new StreamingApi());

    private readonly StreamingApiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TypeRegistry _types = new();
    private readonly Lock _registration = new();
    private readonly List<Analyzers.FftSpectrum.SpectrumFrameSource> _frameSources = [];
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Dictionary<DataConsumer, ConsumerRunner> _runners = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(DataType Type, string ProducerId), ExternalPublisher> _external = new();
    private readonly List<StreamingProtocol> _protocols = [];
    private readonly List<Task> _retiring = [];
    private readonly RateMeter _rateMeter;
    private readonly EventPump<StreamingErrorEventArgs> _errorPump;
    private readonly StreamingMetrics _metrics;
    private ProducerSlot[] _producers = [];
    private EventPump<StreamingData>? _dataPump;
    private EventHandler<DataAvailableEventArgs>? _dataAvailable;
    private IAudioSource? _source;
    private AudioCaptureLoop? _capture;
    private bool _streaming;
    private bool _disposed;
    private long _startTimestamp;
    private long _lastOverrunReport = long.MinValue;
    private double _streamTime;

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
        _rateMeter = new RateMeter(_time);
        BufferManager = new BufferManager(_types);
        RateLimiter = new RateLimiter(_time);
        _source = options.AudioSource;
        _errorPump = new EventPump<StreamingErrorEventArgs>(options.EventQueueSize, RaiseError, OnHandlerFailed);
        _metrics = new StreamingMetrics(this, options.MeterFactory);
    }

    /// <summary>Raised for every published message (the seed's <c>data_available(DataType, StreamingData)</c>).</summary>
    /// <remarks>
    /// Handlers run on a dedicated task, in publication order, never on the audio thread. This event is a tap: it sees
    /// the messages that registered consumers cause to be produced, and does not itself activate producers.
    /// </remarks>
    public event EventHandler<DataAvailableEventArgs>? DataAvailable
    {
        add
        {
            lock (_registration)
            {
                _dataAvailable += value;
                _dataPump ??= new EventPump<StreamingData>(_options.EventQueueSize, RaiseDataAvailable, OnHandlerFailed);
            }
        }

        remove
        {
            lock (_registration)
            {
                _dataAvailable -= value;
            }
        }
    }

    /// <summary>Raised after a consumer is registered (the seed's <c>consumer_registered(DataType, str)</c>).</summary>
    public event EventHandler<ConsumerEventArgs>? ConsumerRegistered;

    /// <summary>Raised after a consumer is unregistered (the seed's <c>consumer_unregistered(DataType, str)</c>).</summary>
    public event EventHandler<ConsumerEventArgs>? ConsumerUnregistered;

    /// <summary>Raised for every problem (the seed's <c>error_occurred(error_type, message)</c>), on a dedicated task.</summary>
    public event EventHandler<StreamingErrorEventArgs>? ErrorOccurred;

    /// <summary>Raised when a finite audio source (a WAV file that does not loop) reaches its end.</summary>
    public event EventHandler? AudioSourceEnded;

    /// <summary>The process-wide instance (the seed's <c>get_streaming_api()</c>), created on first use with default options.</summary>
    public static StreamingApi Default => DefaultInstance.Value;

    /// <summary>The consumer queues' configuration and statistics (the seed's <c>api._buffer_manager</c>).</summary>
    public BufferManager BufferManager { get; }

    /// <summary>The rate limiter (the seed's <c>api._rate_limiter</c>).</summary>
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
    public IReadOnlyList<StreamingProtocol> Protocols
    {
        get
        {
            lock (_registration)
            {
                return [.. _protocols];
            }
        }
    }

    /// <summary>The registered producers.</summary>
    public IReadOnlyList<DataProducer> Producers
    {
        get
        {
            var slots = Volatile.Read(ref _producers);
            var result = new DataProducer[slots.Length];
            for (var i = 0; i < slots.Length; i++)
            {
                result[i] = slots[i].Producer;
            }

            return result;
        }
    }

    /// <summary>The process-wide instance (the seed's <c>get_streaming_api()</c>).</summary>
    /// <returns><see cref="Default"/>.</returns>
    public static StreamingApi GetStreamingApi() => Default;

    /// <summary>
    /// The frame source already used by a producer of this API with the same FFT size, overlap, window and channel, or
    /// <paramref name="candidate"/>, which becomes the one shared from now on. Called under the registration lock.
    /// </summary>
    internal Analyzers.FftSpectrum.SpectrumFrameSource ShareFrames(Analyzers.FftSpectrum.SpectrumFrameSource candidate)
    {
        foreach (var source in _frameSources)
        {
            if (source.Matches(candidate.FftSize, candidate.Overlap, candidate.Window, candidate.KaiserBeta, candidate.Channel))
            {
                return source;
            }
        }

        _frameSources.Add(candidate);
        return candidate;
    }

    /// <summary>Registers a producer for its own data type (the seed's <c>register_producer</c>).</summary>
    /// <param name="producer">The producer; its <see cref="DataProducer.ProducerId"/> must be unique.</param>
    /// <exception cref="ArgumentException">Another producer has the same id.</exception>
    public void RegisterProducer(DataProducer producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        RegisterProducer(producer.GetDataType(), producer);
    }

    /// <summary>Registers a producer (the seed's <c>register_producer(data_type, producer)</c>).</summary>
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

        lock (_registration)
        {
            ThrowIfDisposed();
            foreach (var slot in _producers)
            {
                if (slot.Producer.ProducerId == producer.ProducerId)
                {
                    throw new ArgumentException($"A producer with id '{producer.ProducerId}' is already registered.", nameof(producer));
                }
            }

            producer.OnRegistering(this);
            var newSlot = new ProducerSlot(producer, dataType, _types.Get(dataType), RateLimiter.CreateBucket(dataType));
            Volatile.Write(ref _producers, [.. _producers, newSlot]);
        }
    }

    /// <summary>Removes a producer.</summary>
    /// <param name="producerId">The producer's id.</param>
    /// <returns>Whether it was registered.</returns>
    /// <remarks>While streaming, the capture thread may still call the producer for the block in progress.</remarks>
    public bool UnregisterProducer(string producerId)
    {
        lock (_registration)
        {
            var current = _producers;
            for (var i = 0; i < current.Length; i++)
            {
                if (current[i].Producer.ProducerId == producerId)
                {
                    RateLimiter.RemoveBucket(current[i].DataType, current[i].Bucket);
                    Volatile.Write(ref _producers, [.. current.AsSpan(0, i), .. current.AsSpan(i + 1)]);
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Registers a consumer for a data type (the seed's <c>register_consumer</c>).</summary>
    /// <param name="dataType">The data type to receive.</param>
    /// <param name="consumer">The consumer; one instance may be registered for several types.</param>
    /// <returns>The consumer's id, for <see cref="UnregisterConsumer(DataType, string)"/>.</returns>
    /// <exception cref="ArgumentException">A different consumer already uses the same id.</exception>
    public string RegisterConsumer(DataType dataType, DataConsumer consumer)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(consumer);
        lock (_registration)
        {
            ThrowIfDisposed();
            if (!_runners.TryGetValue(consumer, out var runner))
            {
                foreach (var other in _runners.Keys)
                {
                    if (other.ConsumerId == consumer.ConsumerId)
                    {
                        throw new ArgumentException($"Another consumer is already registered with id '{consumer.ConsumerId}'.", nameof(consumer));
                    }
                }

                consumer.Logger = _loggerFactory.CreateLogger(consumer.GetType());
                consumer.ErrorSink = OnConsumerError;
                runner = new ConsumerRunner(consumer, _time, consumer.Logger);
                consumer.TypeCounters = runner.CountersOf;
                _runners[consumer] = runner;
            }

            if (runner.Find(dataType) is not null)
            {
                return consumer.ConsumerId;
            }

            var state = _types.Get(dataType);
            Subscription subscription;
            if (consumer.DirectSink is { } sink)
            {
                subscription = new DirectSubscription(consumer, sink, dataType, _time);
                runner.AddPassive(subscription);
            }
            else
            {
                var options = (consumer.BufferOptions ?? BufferManager.GetBufferOptions(dataType)).Validate($"buffers.{dataType.Name}");
                subscription = Subscription.Create(consumer, dataType, options, _time);
                runner.Add(subscription);
            }

            state.Add(subscription);
        }

        Log.ConsumerRegistered(_logger, consumer.ConsumerId, dataType.Name);
        ConsumerRegistered?.Invoke(this, new ConsumerEventArgs(dataType, consumer.ConsumerId));
        return consumer.ConsumerId;
    }

    /// <summary>Removes one registration of a consumer (the seed's <c>unregister_consumer(data_type, consumer_id)</c>).</summary>
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
    /// <returns>Whether such a registration existed.</returns>
    public async Task<bool> UnregisterConsumerAsync(DataType dataType, string consumerId)
    {
        var found = UnregisterCore(dataType, consumerId, out var retired);
        if (retired is not null)
        {
            await retired.ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>Adds a network protocol (the seed's <c>add_protocol</c>); it starts and stops with streaming.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <remarks>Added while streaming, the protocol is started at once (synchronously). Its errors are forwarded to <see cref="ErrorOccurred"/>.</remarks>
    public void AddProtocol(StreamingProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        lock (_registration)
        {
            ThrowIfDisposed();
            if (_protocols.Contains(protocol))
            {
                return;
            }

            _protocols.Add(protocol);
            protocol.ErrorOccurred += OnProtocolError;
        }

        if (IsStreaming && !protocol.IsRunning)
        {
            protocol.StartAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>Removes a protocol, stopping it if it runs.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>A task that completes when it is stopped.</returns>
    public async Task<bool> RemoveProtocolAsync(StreamingProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        lock (_registration)
        {
            if (!_protocols.Remove(protocol))
            {
                return false;
            }

            protocol.ErrorOccurred -= OnProtocolError;
        }

        await protocol.StopAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Sets or replaces the audio source; when streaming, capture switches to it at once.</summary>
    /// <param name="source">The source, or null to stop capturing.</param>
    /// <remarks>Do not call from a handler running on the capture thread.</remarks>
    public void SetAudioSource(IAudioSource? source) => SetAudioSourceAsync(source).GetAwaiter().GetResult();

    /// <summary>Sets or replaces the audio source; when streaming, capture switches to it.</summary>
    /// <param name="source">The source, or null to stop capturing.</param>
    /// <returns>A task that completes when the new source captures.</returns>
    public async Task SetAudioSourceAsync(IAudioSource? source)
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await StopCaptureAsync().ConfigureAwait(false);
            Volatile.Write(ref _source, source);
            if (_streaming && source is not null)
            {
                StartCapture(source);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts streaming (the seed's <c>start_streaming()</c>): protocols, then audio capture.</summary>
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

            var started = new List<StreamingProtocol>();
            try
            {
                foreach (var protocol in Protocols)
                {
                    if (!protocol.IsRunning)
                    {
                        await protocol.StartAsync(cancellationToken).ConfigureAwait(false);
                        started.Add(protocol);
                    }
                }

                if (_source is { } source)
                {
                    StartCapture(source);
                }
            }
            catch (Exception ex)
            {
                foreach (var protocol in started)
                {
                    await protocol.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }

                ReportError(ex is AudioSourceException ? StreamingErrorType.AudioSourceFailed : StreamingErrorType.ProtocolError, ex.Message, ex);
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

    /// <summary>Stops streaming (the seed's <c>stop_streaming()</c>).</summary>
    public void StopStreaming() => StopStreamingAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Stops streaming: stops capture, delivers every queued message, flushes every consumer (files are complete on
    /// disk when this returns), then stops the protocols, closing their connections and freeing their ports.
    /// </summary>
    /// <returns>A task that completes when everything is stopped.</returns>
    public async Task StopStreamingAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_streaming)
            {
                return;
            }

            await StopCaptureAsync().ConfigureAwait(false);
            await DrainConsumersAsync().ConfigureAwait(false);
            foreach (var protocol in Protocols)
            {
                await protocol.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

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
    /// <returns>A task that completes when the queues were drained.</returns>
    public Task FlushAsync() => DrainConsumersAsync();

    /// <summary>Sets the maximum rate of a data type (the seed's <c>set_rate_limit(data_type, max_rate_hz)</c>).</summary>
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
        var state = _types.Get(dataType);
        if (!state.HasConsumers)
        {
            return false;
        }

        ExternalPublisher publisher;
        lock (_registration)
        {
            if (!_external.TryGetValue((dataType, producerId), out publisher!))
            {
                publisher = new ExternalPublisher(RateLimiter.CreateBucket(dataType));
                _external[(dataType, producerId)] = publisher;
            }
        }

        if (!publisher.Bucket.TryAcquire())
        {
            state.OnRateLimited();
            return false;
        }

        var metadata = new StreamingMetadata
        {
            DataType = dataType,
            Timestamp = _time.GetUtcNow(),
            StreamTime = streamTime,
            SequenceNumber = Interlocked.Increment(ref publisher.Sequence) - 1,
            ProducerId = producerId,
            Custom = custom,
        };
        Dispatch(state, new StreamingData(metadata, payload));
        return true;
    }

    /// <summary>Every registered consumer with the data types it is registered for.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<(DataConsumer Consumer, IReadOnlyList<DataType> DataTypes)> GetRegistrations()
    {
        lock (_registration)
        {
            var result = new List<(DataConsumer, IReadOnlyList<DataType>)>(_runners.Count);
            foreach (var (consumer, runner) in _runners)
            {
                result.Add((consumer, [.. runner.Subscriptions.Select(static s => s.DataType)]));
            }

            return result;
        }
    }

    /// <summary>Returns the API's statistics (the seed's <c>get_statistics()</c>).</summary>
    /// <returns>A snapshot.</returns>
    public StreamingStatistics GetStatistics()
    {
        var rateLimiter = RateLimiter.GetStatistics();
        var producers = Volatile.Read(ref _producers);
        var perType = ImmutableDictionary.CreateBuilder<string, DataTypeStatistics>(StringComparer.Ordinal);
        var active = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        long produced = 0, delivered = 0, dropped = 0, limited = 0, bytes = 0;
        foreach (var state in _types.All())
        {
            var counters = state.Totals();
            var producerCount = 0;
            foreach (var slot in producers)
            {
                producerCount += slot.DataType == state.DataType ? 1 : 0;
            }

            var stats = new DataTypeStatistics
            {
                Produced = state.Published,
                RateLimited = state.RateLimited,
                Delivered = counters.Delivered,
                Dropped = counters.DroppedByReason(),
                QueueDepth = counters.QueueDepth,
                QueuedBytes = counters.QueuedBytes,
                Consumers = state.Subscriptions.Length,
                Producers = producerCount,
                RateLimitHz = RateLimiter.GetRateLimit(state.DataType),
            };
            perType[state.DataType.Name] = stats;
            active[state.DataType.Name] = stats.Consumers;
            produced += stats.Produced;
            delivered += stats.Delivered;
            dropped += counters.TotalDropped;
            limited += stats.RateLimited;
            bytes += stats.QueuedBytes;
        }

        ImmutableArray<ConsumerStatistics> consumers;
        StreamingProtocol[] protocolList;
        lock (_registration)
        {
            consumers = [.. _runners.Keys.Select(static c => c.GetStatistics())];
            protocolList = [.. _protocols];
        }

        var streaming = IsStreaming;
        return new StreamingStatistics
        {
            DataRateHz = _rateMeter.RatePerSecond(),
            ActiveConsumers = active.ToImmutable(),
            IsStreaming = streaming,
            UptimeSeconds = streaming ? _time.GetElapsedTime(_startTimestamp).TotalSeconds : 0,
            TotalProduced = produced,
            TotalDelivered = delivered,
            TotalDropped = dropped,
            TotalRateLimited = limited,
            MemoryBytes = bytes,
            DataTypes = perType.ToImmutable(),
            Consumers = consumers,
            RateLimiter = rateLimiter,
            Buffers = BufferManager.GetStatistics(),
            Audio = GetAudioStatistics(),
            Protocols = [.. protocolList.Select(static p => p.GetStatistics())],
        };
    }

    /// <summary>Stops streaming, delivers and flushes what is queued, then disposes every consumer, protocol and the audio source handed to this instance.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopStreamingAsync().ConfigureAwait(false);
        await StopCaptureAsync().ConfigureAwait(false);
        await DrainConsumersAsync().ConfigureAwait(false);
        ConsumerRunner[] runners;
        StreamingProtocol[] protocols;
        Task[] retiring;
        lock (_registration)
        {
            _disposed = true;
            runners = [.. _runners.Values];
            protocols = [.. _protocols];
            retiring = [.. _retiring];
            _runners.Clear();
        }

        await Task.WhenAll(retiring).ConfigureAwait(false);
        foreach (var runner in runners)
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            await runner.Consumer.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var protocol in protocols)
        {
            await protocol.DisposeAsync().ConfigureAwait(false);
        }

        _source?.Dispose();
        if (_dataPump is not null)
        {
            await _dataPump.DisposeAsync().ConfigureAwait(false);
        }

        await _errorPump.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _lifecycle.Dispose();
    }

    void IAudioBlockSink.OnAudioBlock(in AudioBlock block) => ProcessAudioBlock(block);

    void IAudioBlockSink.OnOverrun(long lostFrames, double streamTime)
    {
        Log.AudioOverrun(_logger, lostFrames, streamTime);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastOverrunReport);
        if (last == long.MinValue || _time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1))
        {
            Interlocked.Exchange(ref _lastOverrunReport, now);
            ReportError(StreamingErrorType.AudioOverrun,
                $"Audio overrun: {lostFrames} frames lost at {streamTime:F3} s (analysis or the audio backend fell behind).");
        }
    }

    void IAudioBlockSink.OnSourceFailed(IAudioSource source, Exception exception) =>
        ReportError(StreamingErrorType.AudioSourceFailed, $"Audio source '{source.Name}' failed: {exception.Message}", exception);

    void IAudioBlockSink.OnEndOfStream(IAudioSource source) => AudioSourceEnded?.Invoke(this, EventArgs.Empty);

    /// <summary>
    /// The capture thread's work for one block: runs active producers, asks the rate limiter, publishes. Internal so tests
    /// and benchmarks can drive it; production code reaches it through the capture loop only.
    /// </summary>
    internal void ProcessAudioBlock(in AudioBlock block)
    {
        Volatile.Write(ref _streamTime, block.EndTime);
        var slots = Volatile.Read(ref _producers);
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            if (!slot.TypeState.HasConsumers)
            {
                if (slot.Active)
                {
                    slot.Active = false;
                    SafeReset(slot);
                }

                continue;
            }

            try
            {
                if (!slot.Active || slot.Format != block.Format)
                {
                    slot.Producer.Initialize(block.Format);
                    slot.Format = block.Format;
                    slot.Active = true;
                }

                if (!slot.Producer.ProcessBlock(block))
                {
                    continue;
                }

                if (!slot.Bucket.TryAcquire())
                {
                    slot.TypeState.OnRateLimited();
                    continue;
                }

                var payload = slot.Producer.ExtractData();
                if (payload is null)
                {
                    continue;
                }

                var metadata = new StreamingMetadata
                {
                    DataType = slot.DataType,
                    Timestamp = _time.GetUtcNow(),
                    StreamTime = slot.Producer.ResultStreamTime ?? block.EndTime,
                    SampleRate = block.Format.SampleRate,
                    Channels = block.Format.Channels,
                    SequenceNumber = slot.NextSequence++,
                    ProducerId = slot.Producer.ProducerId,
                    Custom = slot.Producer.GetCustomMetadata(),
                };
                Dispatch(slot.TypeState, new StreamingData(metadata, payload));
            }
#pragma warning disable CA1031 // A failing producer is reported and skipped; the others keep running.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                slot.Errors++;
                slot.Active = false;
                Log.ProducerFailed(_logger, ex, slot.Producer.ProducerId, slot.DataType.Name);
                ReportError(StreamingErrorType.ProducerError, $"Producer '{slot.Producer.ProducerId}' ({slot.DataType.Name}) failed: {ex.Message}", ex);
            }
        }
    }

    private void Dispatch(TypeState state, StreamingData data)
    {
        state.OnPublished();
        _rateMeter.Tick();
        var subscriptions = state.Subscriptions;
        for (var i = 0; i < subscriptions.Length; i++)
        {
            subscriptions[i].Offer(data);
        }

        if (_dataAvailable is not null)
        {
            _dataPump?.Post(data);
        }
    }

    private bool UnregisterCore(DataType dataType, string consumerId, out Task? retired)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(consumerId);
        retired = null;
        Subscription? removed = null;
        lock (_registration)
        {
            foreach (var (consumer, runner) in _runners)
            {
                if (consumer.ConsumerId != consumerId)
                {
                    continue;
                }

                removed = runner.Find(dataType);

                if (removed is null)
                {
                    return false;
                }

                var state = _types.Get(dataType);
                state.Remove(removed);
                runner.Remove(removed);
                removed.Clear(DropReason.Unregistered);
                state.Retired.Absorb(removed.Counters);
                if (runner.Subscriptions.Count == 0)
                {
                    _runners.Remove(consumer);
                    retired = RetireAsync(runner);
                    _retiring.Add(retired);
                }

                break;
            }
        }

        if (removed is null)
        {
            return false;
        }

        Log.ConsumerUnregistered(_logger, consumerId, dataType.Name);
        ConsumerUnregistered?.Invoke(this, new ConsumerEventArgs(dataType, consumerId));
        return true;
    }

    private static async Task RetireAsync(ConsumerRunner runner)
    {
        await runner.DrainAndFlushAsync().ConfigureAwait(false);
        await runner.DisposeAsync().ConfigureAwait(false);
    }

    private async Task DrainConsumersAsync()
    {
        ConsumerRunner[] runners;
        lock (_registration)
        {
            runners = [.. _runners.Values];
        }

        var tasks = new Task[runners.Length];
        for (var i = 0; i < runners.Length; i++)
        {
            tasks[i] = runners[i].DrainAndFlushAsync();
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private void StartCapture(IAudioSource source)
    {
        var capture = new AudioCaptureLoop(source, _options.BlockSize, this, _loggerFactory.CreateLogger<AudioCaptureLoop>());
        capture.Start();
        _capture = capture;
    }

    private async Task StopCaptureAsync()
    {
        var capture = _capture;
        _capture = null;
        if (capture is not null)
        {
            await capture.DisposeAsync().ConfigureAwait(false);
        }

        // The capture thread is gone: producers can be reset from here without racing it.
        foreach (var slot in Volatile.Read(ref _producers))
        {
            if (slot.Active)
            {
                slot.Active = false;
                SafeReset(slot);
            }
        }
    }

    private AudioStatistics? GetAudioStatistics()
    {
        var source = Volatile.Read(ref _source);
        if (source is null)
        {
            return null;
        }

        var capture = _capture;
        return new AudioStatistics
        {
            Source = source.Name,
            SampleRate = source.Format.SampleRate,
            Channels = source.Format.Channels,
            BlockSize = _options.BlockSize,
            IsCapturing = capture?.IsRunning ?? false,
            BlocksCaptured = capture?.BlocksCaptured ?? 0,
            StreamTime = Volatile.Read(ref _streamTime),
            Overruns = capture?.Overruns ?? 0,
            LostFrames = capture?.LostFrames ?? 0,
        };
    }

    private void SafeReset(ProducerSlot slot)
    {
        try
        {
            slot.Producer.Reset();
        }
#pragma warning disable CA1031 // A producer failing to reset is reported, nothing more.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportError(StreamingErrorType.ProducerError, $"Producer '{slot.Producer.ProducerId}' failed to reset: {ex.Message}", ex);
        }
    }

    private void OnConsumerError(DataConsumer consumer, Exception exception, StreamingData? data) =>
        ReportError(StreamingErrorType.ConsumerError,
            data is null
                ? $"Consumer '{consumer.ConsumerId}' failed: {exception.Message}"
                : $"Consumer '{consumer.ConsumerId}' failed on {data.DataType.Name} #{data.Metadata.SequenceNumber}: {exception.Message}",
            exception);

    private void OnProtocolError(object? sender, ProtocolErrorEventArgs e) =>
        ReportError(StreamingErrorType.ProtocolError, $"{e.Protocol}: {e.Message}", e.Exception);

    private void ReportError(StreamingErrorType errorType, string message, Exception? exception = null)
    {
        Log.ErrorReported(_logger, exception, errorType, message);
        _errorPump.Post(new StreamingErrorEventArgs(errorType, message, exception));
    }

    private void RaiseError(StreamingErrorEventArgs args) => ErrorOccurred?.Invoke(this, args);

    private void RaiseDataAvailable(StreamingData data) => _dataAvailable?.Invoke(this, new DataAvailableEventArgs(data));

    private void OnHandlerFailed(Exception exception) => Log.HandlerFailed(_logger, exception);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class ExternalPublisher(TokenBucket bucket)
    {
        public TokenBucket Bucket { get; } = bucket;

        public long Sequence;
    }
}
