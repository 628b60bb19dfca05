using System.Collections.Concurrent;
using System.Diagnostics;
using Friture.Streaming.Consumers;
using Friture.Streaming.Buffering;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Engine;

/// <summary>
/// Delivers one consumer's messages off the audio thread, one at a time: takes them from the consumer's subscriptions
/// in turn and calls its code.
/// </summary>
/// <remarks>
/// A runner starts on the process's shared delivery workers (<see cref="DeliveryWorkers"/>): publishing to it sets a
/// flag and, when it was not queued yet, queues it once, so fan-out to many fast consumers costs no system call per
/// consumer. When delivery turns out slow (one call takes longer than <see cref="DedicatedAfter"/> or completes
/// asynchronously, or three in 256 take longer than <see cref="SlowDelivery"/>), the runner moves for good to a thread of its own that sleeps on an event without spinning, so a
/// blocking consumer (a disk, a slow callback) never holds up the others. Neither mode spins while idle: the thread
/// pool did, and that cost more CPU than the whole analysis (scripts/bench-process.sh, docs/performance.md).
/// </remarks>
internal sealed class ConsumerRunner : IAsyncDisposable, IDeferredWake
{
    /// <summary>A delivery longer than this moves the consumer from the shared workers to a thread of its own.</summary>
    public static readonly TimeSpan DedicatedAfter = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Deliveries longer than this count as slow; <see cref="SlowStrikes"/> of them within <see cref="StrikeWindow"/>
    /// deliveries move the consumer too. One alone does not: on a loaded machine a fast callback can be descheduled.
    /// </summary>
    public static readonly TimeSpan SlowDelivery = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// A consumer on a thread of its own whose deliveries stayed fast (none over <see cref="SlowDelivery"/>, none
    /// asynchronous) for this long goes back to the shared workers: a slow start (the JIT, a cold disk) does not cost
    /// it a wake-up of its own thread per audio block for the rest of the run.
    /// </summary>
    public static readonly TimeSpan ReturnToSharedAfter = TimeSpan.FromSeconds(10);

    private const int SlowStrikes = 3;
    private const int StrikeWindow = 256;

    // Deliveries one turn on a shared worker may make before the runner goes to the back of the queue.
    private const int SliceBudget = 256;
    private static readonly long DedicatedAfterTicks = (long)(DedicatedAfter.TotalSeconds * Stopwatch.Frequency);
    private static readonly long SlowDeliveryTicks = (long)(SlowDelivery.TotalSeconds * Stopwatch.Frequency);

    // No spinning before blocking: the next message is milliseconds away, never a few instructions.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly DeliveryWorkers _workers;
    private readonly ConcurrentQueue<TaskCompletionSource> _flushRequests = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _startLock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _slowThresholdTicks;
    private Subscription[] _subscriptions = [];
    private Thread? _thread;
    private volatile bool _completing;
    private volatile bool _dedicated;
    private volatile bool _ended;
    private bool _promote;
    private long _lastSlowOnOwnThread;
    private int _strikes;
    private int _windowDeliveries;
    private int _scheduled;
    private int _signaled;
    private int _next;

    public ConsumerRunner(DataConsumer consumer, TimeProvider timeProvider, ILogger logger, DeliveryWorkers? workers = null)
    {
        _workers = workers ?? DeliveryWorkers.Shared;
        Consumer = consumer;
        _timeProvider = timeProvider;
        _logger = logger;
        var budget = consumer is CallbackConsumer callback ? callback.MaxCallbackTime : (TimeSpan?)null;
        _slowThresholdTicks = budget is { } b ? (long)(b.TotalSeconds * timeProvider.TimestampFrequency) : long.MaxValue;
    }

    public DataConsumer Consumer { get; }

    public IReadOnlyList<Subscription> Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Whether the consumer was moved to a thread of its own after a slow delivery.</summary>
    public bool IsDedicated => _dedicated;

    public void Add(Subscription subscription)
    {
        subscription.Runner = this;
        Volatile.Write(ref _subscriptions, [.. _subscriptions, subscription]);
    }

    /// <summary>Tracks a subscription the runner does not deliver (a direct sink), so the consumer's registrations are known.</summary>
    public void AddPassive(Subscription subscription) => Volatile.Write(ref _subscriptions, [.. _subscriptions, subscription]);

    public bool Remove(Subscription subscription)
    {
        var current = _subscriptions;
        var index = Array.IndexOf(current, subscription);
        if (index < 0)
        {
            return false;
        }

        Volatile.Write(ref _subscriptions, [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)]);
        return true;
    }

    /// <summary>
    /// Tells the runner a message is waiting. Inside a <see cref="DeferredWakes"/> scope (the capture thread's audio
    /// block, a delivery turn) the wake-up is made once, when the scope closes.
    /// </summary>
    public void Signal()
    {
        if (!DeferredWakes.TryDefer(this))
        {
            SignalNow(deferWorkers: false);
        }
    }

    /// <inheritdoc/>
    void IDeferredWake.Wake() => SignalNow(deferWorkers: true);

    private void SignalNow(bool deferWorkers)
    {
        if (_dedicated)
        {
            // Set takes the event's lock only when the thread sleeps on it; an already-set event costs one read.
            if (!_wake.IsSet)
            {
                _wake.Set();
            }

            return;
        }

        Interlocked.Exchange(ref _signaled, 1);
        if (Volatile.Read(ref _scheduled) == 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _workers.Schedule(this, deferWake: deferWorkers);
        }
        else if (_dedicated)
        {
            // Moved to its own thread meanwhile: that thread may already have drained and gone to sleep.
            _wake.Set();
        }
        else
        {
            // Queued or being delivered: make sure the workers are not all stuck in blocked callbacks.
            _workers.OnBacklog();
        }
    }

    /// <summary>The consumer's registration for a data type, if any.</summary>
    public Subscription? Find(DataType dataType)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.DataType == dataType)
            {
                return subscription;
            }
        }

        return null;
    }

    /// <summary>The counters of the consumer's registration for a data type, if any.</summary>
    public FlowCounters? CountersOf(DataType dataType) => Find(dataType)?.Counters;

    /// <summary>Completes once every message queued before the call was delivered and the consumer flushed.</summary>
    public Task DrainAndFlushAsync()
    {
        var request = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushRequests.Enqueue(request);
        if (_ended)
        {
            // Disposed or cancelled: delivery has ended, or will answer every request on its way out.
            AnswerAll();
        }

        Kick();
        return request.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _completing = true;
        Kick();
        await _exited.Task.ConfigureAwait(false);
        AnswerAll();
    }

    /// <summary>Stops delivery now, abandoning queued messages (the caller counts them).</summary>
    public async Task CancelAsync()
    {
        _completing = true;
        await _cancel.CancelAsync().ConfigureAwait(false);
        Kick();
        await _exited.Task.ConfigureAwait(false);
        AnswerAll();
    }

    /// <summary>
    /// One turn on a shared worker: delivers what is queued (up to a budget), answers flush requests, and either
    /// releases the runner or queues it again. Never throws.
    /// </summary>
    internal void RunShared(DeliveryWorkers.Worker worker)
    {
        if (_ended)
        {
            return;
        }

        if (_dedicated)
        {
            _wake.Set();
            return;
        }

        var token = _cancel.Token;

        // The client queues (and other runners) this turn fills are woken once, when it ends.
        DeferredWakes.Open();
        try
        {
            while (true)
            {
                Interlocked.Exchange(ref _signaled, 0);
                var budget = SliceBudget;
                var outcome = Drain(worker, ref budget, token);
                if (outcome == DrainOutcome.MovedToOwnThread)
                {
                    return;
                }

                if (outcome == DrainOutcome.BudgetSpent)
                {
                    // Still scheduled: back of the queue, so one busy consumer cannot keep a worker from the others.
                    _workers.Schedule(this);
                    return;
                }

                CompleteFlushRequests(token);
                if (_completing)
                {
                    budget = int.MaxValue;
                    Drain(worker: null, ref budget, token);
                    CompleteFlushRequests(token);
                    End();
                    return;
                }

                if (Volatile.Read(ref _signaled) != 0)
                {
                    continue;
                }

                Interlocked.Exchange(ref _scheduled, 0);

                // A signal raised after the check above found _scheduled set and relied on this turn: take it back.
                if (Volatile.Read(ref _signaled) == 0 || Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            End();
        }
#pragma warning disable CA1031 // A fault here must not end a shared worker; the consumer's delivery ends instead.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Consumer.ReportErrorInternal(ex, null);
            End();
        }
        finally
        {
            DeferredWakes.Close();
        }
    }

    /// <summary>Brings delivery round once more (for a flush, a dispose or a cancel), whichever mode it is in.</summary>
    private void Kick()
    {
        if (_dedicated)
        {
            _wake.Set();
            return;
        }

        Interlocked.Exchange(ref _signaled, 1);
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _workers.Schedule(this);
        }
        else if (_dedicated)
        {
            _wake.Set();
        }
    }

    private void End()
    {
        _ended = true;
        AnswerAll();
        _exited.TrySetResult();
    }

    /// <summary>Moves delivery to a thread of its own, after a delivery that blocked a shared worker.</summary>
    private void MoveToOwnThread()
    {
        _lastSlowOnOwnThread = _timeProvider.GetTimestamp();
        _dedicated = true;
        Log.ConsumerMovedToOwnThread(_logger, Consumer.ConsumerId, DedicatedAfter.TotalMilliseconds);
        EnsureStarted();
        _wake.Set();
    }

    private void EnsureStarted()
    {
        lock (_startLock)
        {
            if (_thread is not null)
            {
                return;
            }

            // Started even while completing: the thread's loop delivers what is left, flushes and ends.
            var thread = new Thread(Run)
            {
                IsBackground = true,
                Name = "Friture.Streaming consumer",
            };
            thread.Start();
            _thread = thread;
        }
    }

    private void AnswerAll()
    {
        while (_flushRequests.TryDequeue(out var request))
        {
            request.TrySetResult();
        }
    }

    private void Run()
    {
        var token = _cancel.Token;
        var returned = false;
        try
        {
            while (true)
            {
                _wake.Wait(token);
                // Reset before draining: a signal raised while draining sets the event again and brings the loop round.
                _wake.Reset();
                var budget = int.MaxValue;
                DeferredWakes.Open();
                try
                {
                    Drain(worker: null, ref budget, token);
                }
                finally
                {
                    DeferredWakes.Close();
                }

                CompleteFlushRequests(token);
                if (_completing)
                {
                    budget = int.MaxValue;
                    Drain(worker: null, ref budget, token);
                    CompleteFlushRequests(token);
                    break;
                }

                if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastSlowOnOwnThread)) >= ReturnToSharedAfter && TryReturnToShared())
                {
                    returned = true;
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            if (!returned)
            {
                End();
            }
        }
    }

    /// <summary>Ends the runner's own thread and hands delivery back to the shared workers (not while completing).</summary>
    private bool TryReturnToShared()
    {
        lock (_startLock)
        {
            if (_completing)
            {
                return false;
            }

            _thread = null;
            Interlocked.Exchange(ref _scheduled, 0);
            _dedicated = false;
        }

        Log.ConsumerReturnedToSharedThreads(_logger, Consumer.ConsumerId, ReturnToSharedAfter.TotalSeconds);

        // A signal that still saw this thread set its event, which nobody waits on now: deliver through the workers.
        Kick();
        return true;
    }

    private DrainOutcome Drain(DeliveryWorkers.Worker? worker, ref int budget, CancellationToken token)
    {
        bool delivered;
        do
        {
            delivered = false;
            var subscriptions = Volatile.Read(ref _subscriptions);
            for (var i = 0; i < subscriptions.Length; i++)
            {
                // Round-robin across data types so one busy type cannot starve another.
                var subscription = subscriptions[(_next + i) % subscriptions.Length];
                if (subscription.TryTake(out var data))
                {
                    delivered = true;
                    Deliver(subscription, data, worker, token);
                    if (_promote && worker is not null)
                    {
                        _promote = false;
                        MoveToOwnThread();
                        return DrainOutcome.MovedToOwnThread;
                    }

                    if (--budget == 0)
                    {
                        _next++;
                        return DrainOutcome.BudgetSpent;
                    }
                }
            }

            _next++;
        }
        while (delivered && !token.IsCancellationRequested);
        token.ThrowIfCancellationRequested();
        return DrainOutcome.Empty;
    }

    private void Deliver(Subscription subscription, StreamingData data, DeliveryWorkers.Worker? worker, CancellationToken token)
    {
        var start = _timeProvider.GetTimestamp();
        var wallStart = Stopwatch.GetTimestamp();
        if (worker is not null)
        {
            Volatile.Write(ref worker.BusySince, wallStart);
        }

        try
        {
            var pending = Consumer.ConsumeAsync(data, token);
            if (pending.IsCompletedSuccessfully)
            {
                pending.GetAwaiter().GetResult();
            }
            else
            {
                _promote = worker is not null;
                if (worker is null)
                {
                    Volatile.Write(ref _lastSlowOnOwnThread, _timeProvider.GetTimestamp());
                }

                pending.AsTask().GetAwaiter().GetResult();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Consumer code may throw anything; it is reported and delivery goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ConsumerFailed(_logger, ex, Consumer.ConsumerId, data.DataType.Name);
            Consumer.ReportErrorInternal(ex, data);
        }
        finally
        {
            if (worker is not null)
            {
                NoteDuration(Stopwatch.GetTimestamp() - wallStart);
            }
            else if (Stopwatch.GetTimestamp() - wallStart > SlowDeliveryTicks)
            {
                Volatile.Write(ref _lastSlowOnOwnThread, _timeProvider.GetTimestamp());
            }

            Consumer.Counters.OnDelivered();
            subscription.Counters.OnDelivered();
            var elapsed = _timeProvider.GetTimestamp() - start;
            if (elapsed > _slowThresholdTicks)
            {
                Consumer.Counters.OnSlow();
                subscription.Counters.OnSlow();
                Log.ConsumerSlow(_logger, Consumer.ConsumerId, elapsed * 1000.0 / _timeProvider.TimestampFrequency, _slowThresholdTicks * 1000.0 / _timeProvider.TimestampFrequency);
            }
        }
    }

    private void NoteDuration(long elapsedTicks)
    {
        if (++_windowDeliveries > StrikeWindow)
        {
            _windowDeliveries = 1;
            _strikes = 0;
        }

        if (elapsedTicks > DedicatedAfterTicks || (elapsedTicks > SlowDeliveryTicks && ++_strikes >= SlowStrikes))
        {
            _promote = true;
        }
    }

    private void CompleteFlushRequests(CancellationToken token)
    {
        // Only the requests made before this flush starts are answered by it. One made while the consumer flushes may
        // follow messages published after the drain; its own Signal brings the loop round again to deliver and flush.
        var answered = _flushRequests.Count;
        if (answered == 0)
        {
            return;
        }

        try
        {
            var pending = Consumer.FlushAsync(token);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        }
#pragma warning disable CA1031 // A failing flush is reported, and the waiters are released anyway.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Consumer.ReportErrorInternal(ex, null);
        }

        for (var i = 0; i < answered && _flushRequests.TryDequeue(out var request); i++)
        {
            request.TrySetResult();
        }
    }

    private enum DrainOutcome
    {
        Empty,
        BudgetSpent,
        MovedToOwnThread,
    }
}
