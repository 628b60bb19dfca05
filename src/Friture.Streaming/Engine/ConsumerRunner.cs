using System.Collections.Concurrent;
using Friture.Streaming.Consumers;
using Friture.Streaming.Buffering;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Engine;

/// <summary>
/// The delivery thread of one consumer: waits for a signal, then takes messages from the consumer's subscriptions in
/// turn and calls its code, one message at a time, off the audio thread.
/// </summary>
/// <remarks>
/// A dedicated background thread that blocks on an event without spinning, rather than an async loop on the thread
/// pool: every message woke a pool worker, which then spun (sched_yield) looking for more work, and that spinning cost
/// more CPU than the whole analysis (measured with scripts/bench-process.sh, see docs/performance.md). A consumer
/// whose <c>ConsumeAsync</c> completes asynchronously is waited for on this thread.
/// </remarks>
internal sealed class ConsumerRunner : IAsyncDisposable
{
    // No spinning before blocking: the next message is milliseconds away, never a few instructions.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
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
    private int _next;

    public ConsumerRunner(DataConsumer consumer, TimeProvider timeProvider, ILogger logger)
    {
        Consumer = consumer;
        _timeProvider = timeProvider;
        _logger = logger;
        var budget = consumer is CallbackConsumer callback ? callback.MaxCallbackTime : (TimeSpan?)null;
        _slowThresholdTicks = budget is { } b ? (long)(b.TotalSeconds * timeProvider.TimestampFrequency) : long.MaxValue;
    }

    public DataConsumer Consumer { get; }

    public IReadOnlyList<Subscription> Subscriptions => Volatile.Read(ref _subscriptions);

    public void Add(Subscription subscription)
    {
        subscription.Runner = this;
        Volatile.Write(ref _subscriptions, [.. _subscriptions, subscription]);
        EnsureStarted();
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

    public void Signal()
    {
        // Set takes the event's lock only when the thread sleeps on it; an already-set event costs one read.
        if (!_wake.IsSet)
        {
            _wake.Set();
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
        if (!EnsureStarted())
        {
            // Disposed or cancelled: the thread has ended, or will answer every request on its way out.
            AnswerAll();
        }

        _wake.Set();
        return request.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _completing = true;
        _wake.Set();
        if (Volatile.Read(ref _thread) is not null)
        {
            await _exited.Task.ConfigureAwait(false);
        }

        AnswerAll();
    }

    /// <summary>Stops delivery now, abandoning queued messages (the caller counts them).</summary>
    public async Task CancelAsync()
    {
        _completing = true;
        await _cancel.CancelAsync().ConfigureAwait(false);
        _wake.Set();
        if (Volatile.Read(ref _thread) is not null)
        {
            await _exited.Task.ConfigureAwait(false);
        }

        AnswerAll();
    }

    private bool EnsureStarted()
    {
        if (Volatile.Read(ref _thread) is not null)
        {
            return true;
        }

        lock (_startLock)
        {
            if (_thread is not null)
            {
                return true;
            }

            if (_completing)
            {
                return false;
            }

            var thread = new Thread(Run)
            {
                IsBackground = true,
                Name = "Friture.Streaming consumer",
            };
            thread.Start();
            Volatile.Write(ref _thread, thread);
            return true;
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
        try
        {
            while (true)
            {
                _wake.Wait(token);
                // Reset before draining: a signal raised while draining sets the event again and brings the loop round.
                _wake.Reset();
                Drain(token);
                CompleteFlushRequests(token);
                if (_completing)
                {
                    Drain(token);
                    CompleteFlushRequests(token);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            AnswerAll();
            _exited.TrySetResult();
        }
    }

    private void Drain(CancellationToken token)
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
                    Deliver(subscription, data, token);
                }
            }

            _next++;
        }
        while (delivered && !token.IsCancellationRequested);
        token.ThrowIfCancellationRequested();
    }

    private void Deliver(Subscription subscription, StreamingData data, CancellationToken token)
    {
        var start = _timeProvider.GetTimestamp();
        try
        {
            var pending = Consumer.ConsumeAsync(data, token);
            if (pending.IsCompletedSuccessfully)
            {
                pending.GetAwaiter().GetResult();
            }
            else
            {
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
}
