using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Engine;

/// <summary>
/// The registered consumers: one <see cref="ConsumerRunner"/> (delivery task) per consumer, one
/// <see cref="Subscription"/> (bounded queue) per consumer and data type, and the runners being retired after their
/// last registration went.
/// </summary>
internal sealed class ConsumerRegistry(
    RegistrationGate gate,
    TypeRegistry types,
    BufferManager buffers,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    ErrorRouter errors)
{
    private readonly Dictionary<DataConsumer, ConsumerRunner> _runners = new(ReferenceEqualityComparer.Instance);
    private readonly List<Task> _retiring = [];

    /// <summary>Registers a consumer for a data type; a second registration of the same pair does nothing.</summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="consumer">The consumer.</param>
    /// <returns>Whether a new registration was made.</returns>
    public bool Register(DataType dataType, DataConsumer consumer)
    {
        lock (gate.Sync)
        {
            gate.ThrowIfDisposed();
            if (!_runners.TryGetValue(consumer, out var runner))
            {
                foreach (var other in _runners.Keys)
                {
                    if (other.ConsumerId == consumer.ConsumerId)
                    {
                        throw new ArgumentException($"Another consumer is already registered with id '{consumer.ConsumerId}'.", nameof(consumer));
                    }
                }

                consumer.Logger = loggerFactory.CreateLogger(consumer.GetType());
                consumer.ErrorSink = OnConsumerError;
                runner = new ConsumerRunner(consumer, time, consumer.Logger);
                consumer.TypeCounters = runner.CountersOf;
                _runners[consumer] = runner;
            }

            if (runner.Find(dataType) is not null)
            {
                return false;
            }

            var state = types.Get(dataType);
            Subscription subscription;
            if (consumer.DirectSink is { } sink)
            {
                subscription = new DirectSubscription(consumer, sink, dataType, time);
                runner.AddPassive(subscription);
            }
            else
            {
                var options = (consumer.BufferOptions ?? buffers.GetBufferOptions(dataType)).Validate($"buffers.{dataType.Name}");
                subscription = Subscription.Create(consumer, dataType, options, time);
                runner.Add(subscription);
            }

            state.Add(subscription);
            return true;
        }
    }

    /// <summary>
    /// Removes one registration; queued messages are discarded as <see cref="DropReason.Unregistered"/>. When it was the
    /// consumer's last, its runner is drained, flushed and disposed in the background (<paramref name="retired"/>).
    /// </summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="consumerId">The consumer's id.</param>
    /// <param name="retired">The retirement task when the consumer has no registration left.</param>
    /// <returns>Whether such a registration existed.</returns>
    public bool Unregister(DataType dataType, string consumerId, out Task? retired)
    {
        retired = null;
        lock (gate.Sync)
        {
            foreach (var (consumer, runner) in _runners)
            {
                if (consumer.ConsumerId != consumerId)
                {
                    continue;
                }

                var removed = runner.Find(dataType);
                if (removed is null)
                {
                    return false;
                }

                var state = types.Get(dataType);
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

                return true;
            }
        }

        return false;
    }

    /// <summary>Every registered consumer with the data types it is registered for.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<(DataConsumer Consumer, IReadOnlyList<DataType> DataTypes)> GetRegistrations()
    {
        lock (gate.Sync)
        {
            var result = new List<(DataConsumer, IReadOnlyList<DataType>)>(_runners.Count);
            foreach (var (consumer, runner) in _runners)
            {
                result.Add((consumer, [.. runner.Subscriptions.Select(static s => s.DataType)]));
            }

            return result;
        }
    }

    /// <summary>Each registered consumer's counters.</summary>
    /// <returns>A snapshot.</returns>
    public ConsumerStatistics[] GetStatistics()
    {
        lock (gate.Sync)
        {
            return [.. _runners.Keys.Select(static c => c.GetStatistics())];
        }
    }

    /// <summary>Waits until every message queued so far is delivered and every consumer has flushed.</summary>
    /// <returns>A task that completes when the queues were drained.</returns>
    public async Task DrainAsync()
    {
        ConsumerRunner[] runners;
        lock (gate.Sync)
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

    /// <summary>
    /// Marks the engine disposed, then stops every runner and disposes every consumer. Call after
    /// <see cref="DrainAsync"/>, with capture stopped.
    /// </summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async Task DisposeAllAsync()
    {
        ConsumerRunner[] runners;
        Task[] retiring;
        lock (gate.Sync)
        {
            gate.Disposed = true;
            runners = [.. _runners.Values];
            retiring = [.. _retiring];
            _runners.Clear();
        }

        await Task.WhenAll(retiring).ConfigureAwait(false);
        foreach (var runner in runners)
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            await runner.Consumer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task RetireAsync(ConsumerRunner runner)
    {
        await runner.DrainAndFlushAsync().ConfigureAwait(false);
        await runner.DisposeAsync().ConfigureAwait(false);
    }

    private void OnConsumerError(DataConsumer consumer, Exception exception, StreamingData? data) =>
        errors.Report(StreamingErrorType.ConsumerError,
            data is null
                ? $"Consumer '{consumer.ConsumerId}' failed: {exception.Message}"
                : $"Consumer '{consumer.ConsumerId}' failed on {data.DataType.Name} #{data.Metadata.SequenceNumber}: {exception.Message}",
            exception);
}
