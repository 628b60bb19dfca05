using System.Collections.Concurrent;
using System.Threading.Channels;
using Friture.Streaming.Consumers;
using Friture.Streaming.Buffering;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Engine;

/// <summary>
/// The delivery task of one consumer: waits for a signal, then takes messages from the consumer's subscriptions in
/// turn and calls its code, one message at a time, off the audio thread.
/// </summary>
internal sealed class ConsumerRunner : IAsyncDisposable
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly ConcurrentQueue<TaskCompletionSource> _flushRequests = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _slowThresholdTicks;
    private Subscription[] _subscriptions = [];
    private Task? _loop;
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
        _loop ??= Task.Run(RunAsync);
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

    public void Signal() => _signal.Writer.TryWrite(true);

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
        if (_loop is null)
        {
            _loop = Task.Run(RunAsync);
        }

        Signal();
        return request.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _signal.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _cancel.Dispose();
    }

    /// <summary>Stops delivery now, abandoning queued messages (the caller counts them).</summary>
    public async Task CancelAsync()
    {
        await _cancel.CancelAsync().ConfigureAwait(false);
        _signal.Writer.TryComplete();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task RunAsync()
    {
        var token = _cancel.Token;
        var reader = _signal.Reader;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                reader.TryRead(out _);
                await DrainAsync(token).ConfigureAwait(false);
                await CompleteFlushRequestsAsync(token).ConfigureAwait(false);
            }

            await DrainAsync(token).ConfigureAwait(false);
            await CompleteFlushRequestsAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            while (_flushRequests.TryDequeue(out var request))
            {
                request.TrySetResult();
            }
        }
    }

    private async Task DrainAsync(CancellationToken token)
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
                    await DeliverAsync(subscription, data, token).ConfigureAwait(false);
                }
            }

            _next++;
        }
        while (delivered && !token.IsCancellationRequested);
    }

    private async ValueTask DeliverAsync(Subscription subscription, StreamingData data, CancellationToken token)
    {
        var start = _timeProvider.GetTimestamp();
        try
        {
            await Consumer.ConsumeAsync(data, token).ConfigureAwait(false);
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

    private async Task CompleteFlushRequestsAsync(CancellationToken token)
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
            await Consumer.FlushAsync(token).ConfigureAwait(false);
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
