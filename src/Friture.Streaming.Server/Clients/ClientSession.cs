using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Friture.Streaming.Protocols;
using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Server.Clients;

/// <summary>
/// One connected client of any protocol: its subscription, its bounded queue with overflow policy, its rate limits and
/// adaptive divisor, its counters, and the send loop that drains the queue into the transport.
/// </summary>
/// <remarks>
/// <see cref="TryAdmit"/> and <see cref="Enqueue"/> are called from any thread and never block; only the send loop
/// touches the connection, so a stalled client stalls nothing but its own loop.
/// </remarks>
// The CancellationTokenSource has no timer and no wait handle: nothing to dispose, and Abort may race with the end.
#pragma warning disable CA1001
internal abstract class ClientSession : Friture.Streaming.Engine.IDeferredWake
#pragma warning restore CA1001
{
    private static readonly TimeSpan StepDownInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StepUpInterval = TimeSpan.FromSeconds(1);
    private const int MaxDivisor = 64;

    private readonly Channel<OutboundMessage> _queue;
    private readonly ProtocolOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<DataType, TypeState> _types = new();
    private readonly Lock _adaptiveLock = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The send loop's wake-up. It resumes on the thread that sets it (the protocol's delivery thread) instead of waking
    // a thread-pool worker per message: with the transport's writes inline too (Kestrel's UnsafePreferInlineScheduling,
    // see KestrelHost), a message reaches the socket with no thread hop (one WebSocket client on every type: 102 -> 58
    // ms/s of CPU, 13,800 -> 1,900 context switches per second). Within a delivery turn the wake-up is deferred to the
    // turn's end (DeferredWakes), so the messages of one audio block leave in one batch: one transport write.
    private readonly SendSignal _signal = new();
    private int _deferred;

    // Linger (ProtocolOptions.Linger): the Stopwatch-tick form of the client's linger, the timestamp of the oldest held
    // message (0: none held), the end of the previous delivery turn that queued for this client, and the gap before it
    // (the next turn is predicted as the longer of the last two gaps).
    private long _lingerTicks;
    private long _heldSince;
    private long _lastTurn;
    private long _lastGap;
    private int _stopping;
    private ClientSubscription _subscription;
    private int _divisor = 1;
    private long _lastChange;
    private long _sent;
    private long _dropped;
    private long _skipped;
    private long _batches;
    private long _bytes;
    private int _overflowed;
    private int _evicted;
    private long _writeStarted;
    private int _completed;

    protected ClientSession(string clientId, string remoteEndPoint, ProtocolOptions options, ClientSubscription subscription)
    {
        ClientId = clientId;
        RemoteEndPoint = remoteEndPoint;
        _options = options;
        _timeProvider = options.TimeProvider;
        _subscription = subscription;
        _lingerTicks = LingerTicks();
        _lastChange = _timeProvider.GetTimestamp();
        var full = options.OverflowPolicy == ClientOverflowPolicy.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait;
        _queue = Channel.CreateBounded<OutboundMessage>(
            new BoundedChannelOptions(options.QueueCapacity)
            {
                FullMode = full,
                SingleReader = true,
                SingleWriter = false,
                // The send loop does not wait on the channel but on _signal (see Enqueue and RunSendLoopAsync).
                AllowSynchronousContinuations = false,
            },
            OnItemDropped);
    }

    public string ClientId { get; }

    public string RemoteEndPoint { get; }

    /// <summary>The client's IP address, for the per-address connection limit (null when unknown).</summary>
    public System.Net.IPAddress? Address { get; init; }

    /// <summary>Whether the session was evicted to make room for a new client (it had stalled).</summary>
    public bool Evicted => Volatile.Read(ref _evicted) != 0;

    public ClientSubscription Subscription => Volatile.Read(ref _subscription);

    /// <summary>The resolution this client receives: its own request, else the protocol's option.</summary>
    public Friture.Streaming.Reduction.ResolutionRequest Resolution => Volatile.Read(ref _subscription).Resolution ?? _options.Resolution;

    /// <summary>Cancelled when the connection must be torn down at once (overflow with the disconnect policy, error, forced stop).</summary>
    public CancellationToken Aborted => _abort.Token;

    /// <summary>Whether the queue overflowed under <see cref="ClientOverflowPolicy.Disconnect"/>.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) != 0;

    /// <summary>Whether the queue was completed (server stopping): the send loop drains it, then the transport closes politely.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Completes when the transport has finished with the connection.</summary>
    public Task Closed => _closed.Task;

    public long Sent => Interlocked.Read(ref _sent);

    public long Dropped => Interlocked.Read(ref _dropped);

    public int RateDivisor => Volatile.Read(ref _divisor);

    /// <summary>How long this client's messages may wait for the next blocks' (its own choice, else the protocol's).</summary>
    public TimeSpan Linger => Volatile.Read(ref _subscription).Linger ?? _options.Linger;

    /// <summary>The clock of the protocol's options.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Whether messages are being held for the next blocks (see <see cref="ProtocolOptions.Linger"/>).</summary>
    public bool IsHolding => Volatile.Read(ref _heldSince) != 0;

    public void UpdateSubscription(ClientSubscription subscription)
    {
        Volatile.Write(ref _subscription, subscription);
        Volatile.Write(ref _lingerTicks, LingerTicks());
        _types.Clear();
    }

    /// <summary>Whether a message of <paramref name="dataType"/> passes the subscription, the rate and the adaptive divisor.</summary>
    public bool TryAdmit(DataType dataType)
    {
        var subscription = Volatile.Read(ref _subscription);
        if (!subscription.Includes(dataType))
        {
            return false;
        }

        UpdateAdaptiveRate();
        var divisor = Volatile.Read(ref _divisor);
        var state = _types.GetOrAdd(dataType, static (_, session) => new TypeState(), this);
        bool admitted;
        if (subscription.RateHz > 0)
        {
            var rate = subscription.RateHz / divisor;
            var bucket = state.Bucket;
            if (bucket is null)
            {
                bucket = new TokenBucket(rate, 2.0, _timeProvider);
                state.Bucket = bucket;
                state.Rate = rate;
            }
            else if (state.Rate != rate)
            {
                bucket.Configure(rate, 2.0);
                state.Rate = rate;
            }

            admitted = bucket.TryAcquire();
        }
        else
        {
            admitted = divisor == 1 || Interlocked.Increment(ref state.Counter) % divisor == 0;
        }

        if (!admitted)
        {
            Interlocked.Increment(ref _skipped);
        }

        return admitted;
    }

    /// <summary>Queues a message (taking a reference to it). Never blocks.</summary>
    /// <returns><see langword="false"/> when the message was not queued (closed, or full under the disconnect policy).</returns>
    public bool Enqueue(OutboundMessage message)
    {
        message.AddReference();
        if (_queue.Writer.TryWrite(message))
        {
            // Deferred to the end of the delivery turn, unless the queue is filling: then the loop starts writing now.
            if (Interlocked.Increment(ref _deferred) * 4 >= _options.QueueCapacity || !Friture.Streaming.Engine.DeferredWakes.TryDefer(this))
            {
                Wake();
            }

            return true;
        }

        message.Release();
        if (IsCompleted || _abort.IsCancellationRequested)
        {
            return false;
        }

        Interlocked.Increment(ref _dropped);
        if (Interlocked.Exchange(ref _overflowed, 1) == 0)
        {
            // Cancellation callbacks run socket teardown: keep them off the broadcasting thread.
            _ = _abort.CancelAsync();
        }

        return false;
    }

    /// <summary>Ends the queue: the send loop writes what is queued, then returns so the transport can close politely.</summary>
    public void Complete()
    {
        Volatile.Write(ref _completed, 1);
        _queue.Writer.TryComplete();
        Wake();
    }

    /// <summary>
    /// Ends the queue without writing what it holds (the client is leaving): the send loop finishes the write in
    /// progress, if any, and returns.
    /// </summary>
    public void Stop()
    {
        // The loop is the queue's only reader: it stops taking messages; MarkClosed releases what is left.
        Volatile.Write(ref _stopping, 1);
        Complete();
    }

    /// <summary>
    /// The end of a delivery turn that queued messages for this client: wakes the send loop, unless the client lingers
    /// and the next turn is due before the oldest held message has waited the linger (then that turn decides).
    /// </summary>
    void Friture.Streaming.Engine.IDeferredWake.Wake()
    {
        var linger = Volatile.Read(ref _lingerTicks);
        if (linger > 0 && Volatile.Read(ref _completed) == 0)
        {
            // Turns that queue for one client are serialized (one consumer delivers a protocol's messages), so these
            // fields have one writer; the backstop only clears _heldSince, atomically.
            var now = _timeProvider.GetTimestamp();
            var last = _lastTurn;
            _lastTurn = now;
            if (last != 0)
            {
                var gap = now - last;
                var predictedGap = Math.Max(gap, _lastGap);
                _lastGap = gap;
                var held = Volatile.Read(ref _heldSince);
                if (held == 0)
                {
                    held = now;
                    Volatile.Write(ref _heldSince, now);
                }

                if (now + predictedGap - held <= linger && Volatile.Read(ref _deferred) * 4 < _options.QueueCapacity)
                {
                    return;
                }
            }
        }

        Wake();
    }

    /// <summary>
    /// The backstop for held messages when no further turn comes (the audio stopped): wakes the send loop when the
    /// oldest held message has waited the linger.
    /// </summary>
    /// <param name="now">A timestamp of <see cref="TimeProvider"/>.</param>
    /// <returns>Whether the send loop was woken.</returns>
    public bool FlushIfDue(long now)
    {
        var held = Volatile.Read(ref _heldSince);
        if (held == 0 || now - held < Volatile.Read(ref _lingerTicks) || Interlocked.CompareExchange(ref _heldSince, 0, held) != held)
        {
            return false;
        }

        Wake();
        return true;
    }

    /// <summary>Wakes the send loop (now, or at the end of the delivery turn when deferred).</summary>
    public void Wake()
    {
        // Whatever wakes the loop, it writes everything queued, the held messages too.
        Volatile.Write(ref _heldSince, 0);
        Interlocked.Exchange(ref _deferred, 0);
        _signal.Set();
    }

    /// <summary>How long the pending write has waited for the client to accept data (zero when no write is pending).</summary>
    public TimeSpan StalledFor(long now)
    {
        var started = Interlocked.Read(ref _writeStarted);
        return started == 0 ? TimeSpan.Zero : _timeProvider.GetElapsedTime(started, now);
    }

    /// <summary>Disconnects a stalled client to free its slot; its queued messages are counted as dropped.</summary>
    public void Evict()
    {
        Volatile.Write(ref _evicted, 1);
        Interlocked.Add(ref _dropped, _queue.Reader.Count);
        Abort();
    }

    /// <summary>Tears the connection down without waiting for the queue.</summary>
    public void Abort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void MarkClosed()
    {
        Complete();
        Drain();
        _closed.TrySetResult();
    }

    /// <summary>Writes queued messages until the queue is completed or the session aborted.</summary>
    /// <returns>A task that ends with the loop; cancellation and I/O errors end it too (they are the transport's business).</returns>
    public async Task RunSendLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<OutboundMessage>(_options.MaxBatchSize);
        var token = _abort.Token;
        try
        {
            while (Volatile.Read(ref _stopping) == 0)
            {
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var message))
                {
                    batch.Add(message);
                }

                EncodeBatch(batch);
                if (batch.Count == 0)
                {
                    if (reader.Completion.IsCompleted)
                    {
                        break;
                    }

                    await _signal.WaitAsync(token).ConfigureAwait(false);
                    continue;
                }

                Interlocked.Exchange(ref _writeStarted, Math.Max(1, _timeProvider.GetTimestamp()));
                long bytes;
                try
                {
                    bytes = await WriteAsync(batch, token).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Exchange(ref _writeStarted, 0);
                }

                var counted = 0;
                foreach (var message in batch)
                {
                    counted += message.Kind == MessageKind.Comment ? 0 : 1;
                }

                Interlocked.Add(ref _sent, counted);
                Interlocked.Add(ref _bytes, bytes);
                if (batch.Count > 1)
                {
                    Interlocked.Increment(ref _batches);
                }

                ReleaseAll(batch);
                UpdateAdaptiveRate();
            }
        }
        finally
        {
            ReleaseAll(batch);
        }
    }

    /// <summary>
    /// Encodes the batch's messages that are not encoded yet, one after the other (the encoder stays warm), and leaves
    /// out those that cannot be encoded (counted as dropped; the hub's owner was told).
    /// </summary>
    private void EncodeBatch(List<OutboundMessage> batch)
    {
        var kept = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            if (message.TryEncode())
            {
                batch[kept++] = message;
                continue;
            }

            Interlocked.Increment(ref _dropped);
            message.Release();
        }

        batch.RemoveRange(kept, batch.Count - kept);
    }

    public ClientStatistics GetStatistics()
    {
        var subscription = Subscription;
        var divisor = RateDivisor;
        var types = ImmutableArray.CreateBuilder<string>(subscription.Types.IsDefault ? 0 : subscription.Types.Length);
        if (!subscription.Types.IsDefault)
        {
            foreach (var type in subscription.Types)
            {
                types.Add(type.Name);
            }
        }

        return new ClientStatistics
        {
            ClientId = ClientId,
            RemoteEndPoint = RemoteEndPoint,
            Types = types.DrainToImmutable(),
            RequestedRateHz = subscription.RateHz,
            RateDivisor = divisor,
            EffectiveRateHz = subscription.RateHz / divisor,
            QueueLength = _queue.Reader.Count,
            QueueCapacity = _options.QueueCapacity,
            Sent = Sent,
            Dropped = Dropped,
            Skipped = Interlocked.Read(ref _skipped),
            Batches = Interlocked.Read(ref _batches),
            BytesSent = Interlocked.Read(ref _bytes),
        };
    }

    /// <summary>Writes a batch (one message or several, when the client has fallen behind) to the connection.</summary>
    /// <returns>The bytes written, framing included.</returns>
    protected abstract ValueTask<long> WriteAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken);

    /// <summary><see cref="Linger"/> in timestamp ticks of the options' clock (0: no lingering).</summary>
    private long LingerTicks()
    {
        var linger = Linger;
        return linger <= TimeSpan.Zero ? 0 : (long)(linger.TotalSeconds * _timeProvider.TimestampFrequency);
    }

    private static void ReleaseAll(List<OutboundMessage> batch)
    {
        foreach (var message in batch)
        {
            message.Release();
        }

        batch.Clear();
    }

    private void Drain()
    {
        while (_queue.Reader.TryRead(out var message))
        {
            message.Release();
        }
    }

    private void OnItemDropped(OutboundMessage message)
    {
        Interlocked.Increment(ref _dropped);
        message.Release();
    }

    private void UpdateAdaptiveRate()
    {
        if (!_options.AdaptiveRate)
        {
            return;
        }

        var count = _queue.Reader.Count;
        var capacity = _options.QueueCapacity;
        var now = _timeProvider.GetTimestamp();
        lock (_adaptiveLock)
        {
            var elapsed = _timeProvider.GetElapsedTime(_lastChange, now);
            if (count * 2 >= capacity && _divisor < MaxDivisor && elapsed >= StepDownInterval)
            {
                Volatile.Write(ref _divisor, _divisor * 2);
                _lastChange = now;
            }
            else if (count * 10 <= capacity && _divisor > 1 && elapsed >= StepUpInterval)
            {
                Volatile.Write(ref _divisor, _divisor / 2);
                _lastChange = now;
            }
        }
    }

    private sealed class TypeState
    {
        public long Counter;

        public TokenBucket? Bucket { get; set; }

        public double Rate { get; set; }
    }
}
