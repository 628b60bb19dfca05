using System.Collections.Concurrent;
using System.Diagnostics;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Engine;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Engine;

/// <summary>
/// Consumers share the delivery workers until one delivery is slow; then that consumer gets a thread of its own and
/// cannot hold up the others (docs/performance-pipeline.md, fan-out).
/// </summary>
[Collection(NonParallel.Name)]
public sealed class DeliveryWorkersTests
{
    private const string SharedThread = "Friture.Streaming delivery";
    private const string OwnThread = "Friture.Streaming consumer";

    [Fact]
    public async Task Publish_HundredFastConsumers_AllDeliveredInOrderOnSharedThreadsWithoutAThreadEach()
    {
        await using var api = new StreamingApi();
        api.SetRateLimit(DataType.Levels, 0);
        var received = new ConcurrentQueue<long>[100];
        var ownThreads = new ConcurrentDictionary<int, int>();
        for (var c = 0; c < received.Length; c++)
        {
            var mine = received[c] = new ConcurrentQueue<long>();
            var consumer = c;
            api.RegisterConsumer(DataType.Levels, new CallbackConsumer(d =>
            {
                mine.Enqueue(d.Metadata.SequenceNumber);
                if (Thread.CurrentThread.Name != SharedThread)
                {
                    ownThreads.TryAdd(consumer, 0);
                }
            }) { BufferOptions = new BufferOptions { MaxSize = 2000 } });
        }

        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        for (var i = 0; i < 1000; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i), "p");
        }

        await api.FlushAsync();
        var threadsAfter = Process.GetCurrentProcess().Threads.Count;

        Assert.All(received, q => Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), q));

        // A fast callback moves to a thread of its own only after three slow deliveries (descheduled on a loaded
        // machine); most stay on the shared workers.
        Assert.True(ownThreads.Count <= 10, $"{ownThreads.Count} of 100 fast consumers moved to their own threads");

        // One thread per consumer would add 100; the shared workers are a handful for the whole process.
        Assert.True(threadsAfter - threadsBefore < 30, $"threads grew from {threadsBefore} to {threadsAfter}");
    }

    [Fact]
    public async Task Publish_ConsumerBlocks_MovesToItsOwnThreadAndOthersKeepReceiving()
    {
        await using var api = new StreamingApi();
        api.SetRateLimit(DataType.Levels, 0);
        using var gate = new ManualResetEventSlim(false);
        var blockedThreads = new ConcurrentQueue<string>();
        var blockedFor = new Stopwatch();
        var blocked = new CallbackConsumer(
            d =>
            {
                blockedThreads.Enqueue(Thread.CurrentThread.Name ?? "(unnamed)");
                if (d.Metadata.SequenceNumber == 0)
                {
                    blockedFor.Start();
                    gate.Wait();
                }
            },
            maxCallbackTimeMs: 60_000,
            consumerId: "blocked") { BufferOptions = new BufferOptions { MaxSize = 1000 } };
        var fastCount = 0;
        var fast = new CallbackConsumer(_ => Interlocked.Increment(ref fastCount), consumerId: "fast") { BufferOptions = new BufferOptions { MaxSize = 1000 } };
        api.RegisterConsumer(DataType.Levels, blocked);
        api.RegisterConsumer(DataType.Levels, fast);

        api.Publish(DataType.Levels, Blocks.Levels(0), "p");
        await Wait.UntilAsync(() => blockedThreads.Count == 1, "the blocking consumer to take its first message");
        for (var i = 1; i < 200; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i), "p");
        }

        // The blocked consumer holds one shared worker; the fast one is served by another.
        await Wait.UntilAsync(() => Volatile.Read(ref fastCount) == 200, "the fast consumer to receive all 200 messages while the other blocks");
        Assert.Single(blockedThreads);

        // A call blocked longer than the threshold moves its consumer for good (a shorter one counts as one strike).
        await Wait.UntilAsync(() => blockedFor.Elapsed > 2 * ConsumerRunner.DedicatedAfter, "the blocked call to outlast the threshold");
        gate.Set();
        await api.FlushAsync();
        Assert.Equal(200, blockedThreads.Count);
        Assert.Equal(SharedThread, blockedThreads.First());
        Assert.True(blockedThreads.Skip(1).All(name => name == OwnThread), string.Join(",", blockedThreads.Distinct()));
    }

    [Fact]
    public async Task OwnThread_NoSlowDeliveryForTenSeconds_ReturnsToTheSharedWorkersWithNothingLost()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = clock });
        api.SetRateLimit(DataType.Levels, 0);
        using var gate = new ManualResetEventSlim(false);
        var threads = new ConcurrentQueue<(long Sequence, string Thread)>();
        var blockedFor = new Stopwatch();
        var consumer = new CallbackConsumer(
            d =>
            {
                threads.Enqueue((d.Metadata.SequenceNumber, Thread.CurrentThread.Name ?? "(unnamed)"));
                if (d.Metadata.SequenceNumber == 0)
                {
                    blockedFor.Start();
                    gate.Wait();
                }
            },
            maxCallbackTimeMs: 60_000,
            consumerId: "slow-start") { BufferOptions = new BufferOptions { MaxSize = 10_000 } };
        api.RegisterConsumer(DataType.Levels, consumer);

        // A slow first delivery (the JIT, a cold disk) moves the consumer to a thread of its own.
        var sequence = 0;
        api.Publish(DataType.Levels, Blocks.Levels(sequence++), "p");
        await Wait.UntilAsync(() => blockedFor.Elapsed > 2 * ConsumerRunner.DedicatedAfter, "the first delivery to outlast the threshold");
        gate.Set();
        await Wait.UntilAsync(
            () =>
            {
                api.Publish(DataType.Levels, Blocks.Levels(sequence++), "p");
                return threads.Any(t => t.Thread == OwnThread);
            },
            "the consumer to move to a thread of its own");

        // Fast deliveries for ReturnToSharedAfter (on the fake clock): back on the shared workers.
        await Wait.UntilAsync(
            () =>
            {
                clock.Advance(ConsumerRunner.ReturnToSharedAfter + TimeSpan.FromSeconds(1));
                api.Publish(DataType.Levels, Blocks.Levels(sequence++), "p");
                var last = threads.LastOrDefault();
                return last.Thread == SharedThread && last.Sequence > 0;
            },
            "the consumer to be delivered on a shared worker again");

        await api.FlushAsync();
        Assert.Equal(Enumerable.Range(0, sequence).Select(i => (long)i), threads.Select(t => t.Sequence));
    }

    [Fact]
    public async Task Publish_MoreBlockedConsumersThanWorkers_FastConsumerStillReceives()
    {
        await using var api = new StreamingApi();
        api.SetRateLimit(DataType.Levels, 0);
        using var gate = new ManualResetEventSlim(false);
        var started = 0;
        const int Blockers = 12;
        for (var c = 0; c < Blockers; c++)
        {
            api.RegisterConsumer(
                DataType.Levels,
                new CallbackConsumer(
                    _ =>
                    {
                        Interlocked.Increment(ref started);
                        gate.Wait();
                    },
                    maxCallbackTimeMs: 60_000,
                    consumerId: $"blocked-{c}"));
        }

        var fastCount = 0;
        api.RegisterConsumer(DataType.Levels, new CallbackConsumer(_ => Interlocked.Increment(ref fastCount), consumerId: "fast"));

        // While every worker is inside a blocked callback, publishing adds a worker every 20 ms or so, until one
        // reaches the fast consumer queued behind the blocked ones. The condition publishes one message per poll.
        var sequence = 0;
        await Wait.UntilAsync(
            () =>
            {
                api.Publish(DataType.Levels, Blocks.Levels(sequence++), "p");
                return Volatile.Read(ref fastCount) > 0;
            },
            "the fast consumer to receive a message while 12 others block");
        Assert.True(Volatile.Read(ref started) <= Blockers, $"{started} blocked deliveries started");

        gate.Set();
        await api.FlushAsync();
        Assert.Equal(sequence, Volatile.Read(ref fastCount));
    }
}
