using System.Collections.Concurrent;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Engine;

[Collection(NonParallel.Name)]
public sealed class StreamingApiTests
{
    private static readonly float[] Block512 = MakeBlock(512, 2, 0.5f);

    [Fact]
    public async Task ProcessAudioBlock_NoConsumer_ProducerDoesNoWork()
    {
        await using var api = new StreamingApi();
        var producer = new CountingProducer();
        api.RegisterProducer(producer);
        long frame = 0;
        for (var i = 0; i < 10; i++)
        {
            Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);
        }

        Assert.Equal(0, producer.ProcessCalls);
        Assert.Equal(0, producer.InitializeCalls);
        Assert.Equal(0, api.GetStatistics().TotalProduced);
    }

    [Fact]
    public async Task ProcessAudioBlock_NoConsumer_AllocatesNothingPerBlock()
    {
        await using var api = new StreamingApi();
        foreach (var type in DataType.BuiltIn)
        {
            api.RegisterProducer(new CountingProducer(type));
        }

        long frame = 0;
        for (var i = 0; i < 100; i++)
        {
            Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);
        }

        Allocations.AssertSteadyStateAllocatesNothing(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);
            }
        });
    }

    [Fact]
    public async Task RegisterConsumer_ProducerBecomesActive_InitializedOnceAndResetWhenLastConsumerLeaves()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var producer = new CountingProducer();
        api.RegisterProducer(producer);
        var queue = new QueueConsumer();
        var id = api.RegisterConsumer(DataType.Levels, queue);
        long frame = 0;
        Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);
        Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);
        Assert.Equal(1, producer.InitializeCalls);
        Assert.Equal(2, producer.ProcessCalls);
        Assert.Equal(2, queue.Count);

        Assert.True(api.UnregisterConsumer(DataType.Levels, id));
        Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);
        Assert.Equal(1, producer.ResetCalls);
        Assert.Equal(2, producer.ProcessCalls);
    }

    [Fact]
    public async Task ProcessAudioBlock_MetadataCarriesAudioClockAndFormat()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = time });
        api.SetRateLimit(DataType.Levels, 0);
        api.RegisterProducer(new CountingProducer(id: "levels-1"));
        var queue = new QueueConsumer();
        api.RegisterConsumer(DataType.Levels, queue);
        long frame = 48_000;
        Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);

        var data = queue.GetData(TimeSpan.Zero);
        Assert.NotNull(data);
        Assert.Equal(DataType.Levels, data.Metadata.DataType);
        Assert.Equal((48_000 + 512) / 48_000.0, data.Metadata.StreamTime, 12);
        Assert.Equal(48_000, data.Metadata.SampleRate);
        Assert.Equal(2, data.Metadata.Channels);
        Assert.Equal("levels-1", data.Metadata.ProducerId);
        Assert.Equal(time.GetUtcNow(), data.Metadata.Timestamp);
        Assert.Equal(0, data.Metadata.SequenceNumber);
    }

    [Fact]
    public async Task Publish_ConsumerWithRoom_SequenceNumbersGapFree()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var received = new ConcurrentQueue<long>();
        api.RegisterConsumer(DataType.Levels, new CallbackConsumer(d => received.Enqueue(d.Metadata.SequenceNumber)) { BufferOptions = new BufferOptions { MaxSize = 10_000 } });
        for (var i = 0; i < 5000; i++)
        {
            Assert.True(api.Publish(DataType.Levels, Blocks.Levels(i), "p"));
        }

        await api.FlushAsync();
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), received);
    }

    [Fact]
    public async Task FlushAsync_CalledWhileTheConsumerFlushes_WaitsForMessagesPublishedSince()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var consumer = new GatedFlushConsumer();
        api.RegisterConsumer(DataType.Levels, consumer);
        api.Publish(DataType.Levels, Blocks.Levels(0));
        var first = api.FlushAsync();
        await consumer.Flushing.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the first flush is in progress

        api.Publish(DataType.Levels, Blocks.Levels(1));
        var second = api.FlushAsync();
        consumer.Release.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        await second.WaitAsync(TimeSpan.FromSeconds(30));

        // The second flush answers only after the message published before it was delivered and flushed again.
        Assert.Equal(2, consumer.Delivered);
        Assert.Equal(2, consumer.Flushes);
        Assert.Equal(2, consumer.DeliveredAtLastFlush);
    }

    private sealed class GatedFlushConsumer : DataConsumer
    {
        public TaskCompletionSource Flushing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Delivered { get; private set; }

        public int Flushes { get; private set; }

        public int DeliveredAtLastFlush { get; private set; }

        protected internal override ValueTask ConsumeAsync(StreamingData data, CancellationToken cancellationToken)
        {
            Delivered++;
            return ValueTask.CompletedTask;
        }

        protected internal override async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            Flushing.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            DeliveredAtLastFlush = Delivered;
        }
    }

    [Fact]
    public async Task Publish_ConsumerThrows_OthersKeepReceivingAndErrorIsReportedTwice()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var apiErrors = new ConcurrentQueue<StreamingErrorEventArgs>();
        api.ErrorOccurred += (_, e) => apiErrors.Enqueue(e);
        var consumerErrors = new ConcurrentQueue<ConsumerErrorEventArgs>();
        var calls = 0;
        var faulty = new CallbackConsumer(_ =>
        {
            if (Interlocked.Increment(ref calls) % 2 == 0)
            {
                throw new InvalidOperationException("user code failed");
            }
        }, consumerId: "faulty");
        faulty.ErrorOccurred += (_, e) => consumerErrors.Enqueue(e);
        var healthy = new QueueConsumer();
        api.RegisterConsumer(DataType.Levels, faulty);
        api.RegisterConsumer(DataType.Levels, healthy);

        for (var i = 0; i < 100; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        await api.FlushAsync();
        Assert.Equal(100, healthy.Count);
        Assert.Equal(100, calls);
        Assert.Equal(50, consumerErrors.Count);
        Assert.All(consumerErrors, e => Assert.Equal("faulty", e.ConsumerId));
        Assert.Equal(50, faulty.GetStatistics().Errors);
        Assert.Equal(100, faulty.GetStatistics().Delivered);
        await Wait.UntilAsync(() => apiErrors.Count == 50, "50 API errors");
        Assert.All(apiErrors, e => Assert.Equal(StreamingErrorType.ConsumerError, e.ErrorType));
        Assert.Contains("faulty", apiErrors.First().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ConsumerNeverReads_QueueBoundHoldsAndDropsCountedExactly()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var gate = new ManualResetEventSlim(false);
        var stalled = new CallbackConsumer(_ => gate.Wait(), maxCallbackTimeMs: 60_000) { BufferOptions = new BufferOptions { MaxSize = 100 } };
        var queue = new QueueConsumer(maxQueueSize: 50);
        api.RegisterConsumer(DataType.Levels, stalled);
        api.RegisterConsumer(DataType.Levels, queue);

        // The first message is taken by the stalled callback; then the queue fills.
        api.Publish(DataType.Levels, Blocks.Levels(0));
        await Wait.UntilAsync(() => stalled.GetStatistics().QueueDepth == 0, "the stalled consumer to take its first message");
        var maxDepth = 0L;
        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 1; i < 100_000; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
            maxDepth = Math.Max(maxDepth, stalled.GetStatistics().QueueDepth);
        }

        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var stalledStats = stalled.GetStatistics();
        Assert.True(maxDepth <= 100, $"queue depth reached {maxDepth}");
        Assert.Equal(100, stalledStats.QueueDepth);
        Assert.Equal(100_000, stalledStats.Received);
        Assert.Equal(100_000 - 1 - 100, stalledStats.Dropped[DropReason.Overflow]);
        Assert.Equal(50, queue.Count);
        Assert.Equal(100_000 - 50, queue.GetStatistics().Dropped[DropReason.Overflow]);
        Assert.True(memoryAfter - memoryBefore < 4 * 1024 * 1024, $"memory grew by {memoryAfter - memoryBefore} bytes");
        var typeStats = api.GetStatistics().DataTypes["levels"];
        Assert.Equal(100_000, typeStats.Produced);
        Assert.Equal((100_000 - 101) + (100_000 - 50), typeStats.Dropped[DropReason.Overflow]);
        Assert.Equal(150, typeStats.QueueDepth);
        gate.Set();
    }

    [Fact]
    public async Task Publish_DropOldest_KeepsNewestMessages()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var queue = new QueueConsumer(maxQueueSize: 3, OverflowStrategy.DropOldest);
        api.RegisterConsumer(DataType.Levels, queue);
        for (var i = 0; i < 10; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        Assert.Equal([7L, 8L, 9L], Drain(queue));
    }

    [Fact]
    public async Task Publish_DropNewest_KeepsOldestMessages()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var queue = new QueueConsumer(maxQueueSize: 3, OverflowStrategy.DropNewest);
        api.RegisterConsumer(DataType.Levels, queue);
        for (var i = 0; i < 10; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        Assert.Equal([0L, 1L, 2L], Drain(queue));
        Assert.Equal(7, queue.GetStatistics().Dropped[DropReason.Overflow]);
    }

    [Fact]
    public async Task Publish_LifoBuffer_DeliversNewestFirst()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        api.BufferManager.ConfigureBuffer(DataType.Levels, maxSize: 4, order: DeliveryOrder.Lifo);
        var gate = new SemaphoreSlim(0);
        var order = new ConcurrentQueue<long>();
        api.RegisterConsumer(DataType.Levels, new CallbackConsumer(async (d, ct) =>
        {
            order.Enqueue(d.Metadata.SequenceNumber);
            if (d.Metadata.SequenceNumber == 0)
            {
                await gate.WaitAsync(ct);
            }
        }, maxCallbackTimeMs: 60_000));

        api.Publish(DataType.Levels, Blocks.Levels(0));
        await Wait.UntilAsync(() => order.Count == 1, "the first delivery");
        for (var i = 1; i <= 6; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        gate.Release();
        await api.FlushAsync();

        // Capacity 4, drop oldest: 1 and 2 were evicted; 6, 5, 4, 3 come newest first.
        Assert.Equal([0L, 6L, 5L, 4L, 3L], order);
        Assert.Equal(2, api.GetStatistics().DataTypes["levels"].Dropped[DropReason.Overflow]);
    }

    [Fact]
    public async Task Publish_TtlElapsed_MessagesExpireAndAreCounted()
    {
        var time = new FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = time });
        api.SetRateLimit(DataType.Levels, 0);
        api.BufferManager.ConfigureBuffer(DataType.Levels, new BufferOptions { MaxSize = 100, Ttl = TimeSpan.FromSeconds(2) });
        var gate = new SemaphoreSlim(0);
        var seen = new ConcurrentQueue<long>();
        var consumer = new CallbackConsumer(async (d, ct) =>
        {
            seen.Enqueue(d.Metadata.SequenceNumber);
            if (d.Metadata.SequenceNumber == 0)
            {
                await gate.WaitAsync(ct);
            }
        }, maxCallbackTimeMs: 60_000);
        api.RegisterConsumer(DataType.Levels, consumer);
        api.Publish(DataType.Levels, Blocks.Levels(0));
        await Wait.UntilAsync(() => seen.Count == 1, "the first delivery");
        api.Publish(DataType.Levels, Blocks.Levels(1));
        api.Publish(DataType.Levels, Blocks.Levels(2));
        time.Advance(TimeSpan.FromSeconds(3));
        api.Publish(DataType.Levels, Blocks.Levels(3));
        gate.Release();
        await api.FlushAsync();

        Assert.Equal([0L, 3L], seen);
        Assert.Equal(2, consumer.GetStatistics().Dropped[DropReason.Expired]);
    }

    [Theory]
    [InlineData(DeliveryOrder.Fifo)]
    [InlineData(DeliveryOrder.Lifo)]
    public async Task Publish_StalledConsumerWithTtl_ExpiredMessagesRemovedWithoutReading(DeliveryOrder order)
    {
        var time = new FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = time });
        api.SetRateLimit(DataType.Levels, 0);
        api.BufferManager.ConfigureBuffer(DataType.Levels, 1000, order, ttl: TimeSpan.FromSeconds(1));
        using var gate = new ManualResetEventSlim(false);
        var stalled = new CallbackConsumer(_ => gate.Wait(), maxCallbackTimeMs: 60_000);
        api.RegisterConsumer(DataType.Levels, stalled);
        api.Publish(DataType.Levels, Blocks.Levels(0));
        await Wait.UntilAsync(() => stalled.GetStatistics().QueueDepth == 0, "the first message to be taken");

        for (var second = 0; second < 10; second++)
        {
            for (var i = 0; i < 50; i++)
            {
                api.Publish(DataType.Levels, Blocks.Levels(i));
            }

            time.Advance(TimeSpan.FromSeconds(1.5));
        }

        api.Publish(DataType.Levels, Blocks.Levels(-1));

        // Only the newest message is younger than the TTL; the rest were swept by the publisher.
        Assert.Equal(1, stalled.GetStatistics().QueueDepth);
        Assert.Equal(500, stalled.GetStatistics().Dropped[DropReason.Expired]);
        gate.Set();
    }

    [Fact]
    public async Task CallbackConsumer_SlowCallback_IsCounted()
    {
        var time = new FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = time });
        api.SetRateLimit(DataType.Levels, 0);
        var consumer = new CallbackConsumer(d =>
        {
            if (d.Metadata.SequenceNumber % 2 == 1)
            {
                time.Advance(TimeSpan.FromMilliseconds(25));
            }
        }, maxCallbackTimeMs: 10);
        api.RegisterConsumer(DataType.Levels, consumer);
        for (var i = 0; i < 10; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        await api.FlushAsync();
        Assert.Equal(5, consumer.GetStatistics().SlowDeliveries);
        Assert.Equal(10, consumer.GetStatistics().Delivered);
    }

    [Fact]
    public async Task ProcessAudioBlock_ProducerThrows_ReportedAndOtherProducersRun()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        api.SetRateLimit(DataType.Scope, 0);
        var errors = new ConcurrentQueue<StreamingErrorEventArgs>();
        api.ErrorOccurred += (_, e) => errors.Enqueue(e);
        api.RegisterProducer(new CountingProducer(DataType.Levels, "bad") { Throw = true });
        var good = new CountingProducer(DataType.Scope, "good");
        api.RegisterProducer(good);
        var levels = new QueueConsumer();
        var scope = new QueueConsumer();
        api.RegisterConsumer(DataType.Levels, levels);
        api.RegisterConsumer(DataType.Scope, scope);
        long frame = 0;
        Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);
        Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);

        Assert.Equal(0, levels.Count);
        Assert.Equal(2, scope.Count);
        await Wait.UntilAsync(() => errors.Count == 2, "two producer errors");
        Assert.All(errors, e => Assert.Equal(StreamingErrorType.ProducerError, e.ErrorType));
        Assert.Contains("bad", errors.First().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterConsumer_WhileStreamingFromManyThreads_StaysConsistent()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        api.RegisterProducer(new CountingProducer());
        var stop = new CancellationTokenSource();
        var feeder = Task.Run(() =>
        {
            long frame = 0;
            while (!stop.IsCancellationRequested)
            {
                Blocks.Feed(api, Block512, Blocks.Stereo48k, ref frame);
            }
        });

        await Parallel.ForAsync(0, 200, async (i, _) =>
        {
            var consumer = new QueueConsumer(maxQueueSize: 10, consumerId: $"c{i}");
            var id = api.RegisterConsumer(DataType.Levels, consumer);
            await Task.Yield();
            Assert.True(await api.UnregisterConsumerAsync(DataType.Levels, id, CancellationToken.None));
        });

        await stop.CancelAsync();
        await feeder;
        Assert.Equal(0, api.GetStatistics().ActiveConsumers["levels"]);
    }

    [Fact]
    public async Task DataAvailable_BlockedHandler_NeverBlocksPublisherAndSeesEveryMessage()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        using var gate = new ManualResetEventSlim(false);
        var count = 0;
        api.DataAvailable += (_, e) =>
        {
            Assert.Equal(DataType.Levels, e.DataType);
            gate.Wait();
            Interlocked.Increment(ref count);
        };
        api.RegisterConsumer(DataType.Levels, new QueueConsumer());

        // The handler is stuck on the gate: if it ran on the publishing thread, this loop could not finish.
        for (var i = 0; i < 20; i++)
        {
            Assert.True(api.Publish(DataType.Levels, Blocks.Levels(i)));
        }

        Assert.Equal(0, Volatile.Read(ref count));
        gate.Set();
        await Wait.UntilAsync(() => Volatile.Read(ref count) == 20, "20 DataAvailable events");
    }

    [Fact]
    public async Task ConsumerRegisteredAndUnregistered_EventsCarryTypeAndId()
    {
        await using var api = new StreamingApi();
        var events = new List<string>();
        api.ConsumerRegistered += (_, e) => events.Add($"+{e.DataType}:{e.ConsumerId}");
        api.ConsumerUnregistered += (_, e) => events.Add($"-{e.DataType}:{e.ConsumerId}");
        var id = api.RegisterConsumer(DataType.PitchTracker, new QueueConsumer(consumerId: "q"));
        api.UnregisterConsumer(DataType.PitchTracker, id);
        Assert.Equal(["+pitch_tracker:q", "-pitch_tracker:q"], events);
        Assert.False(api.UnregisterConsumer(DataType.PitchTracker, id));
    }

    [Fact]
    public async Task RegisterConsumer_SameConsumerForTwoTypes_ReceivesBoth()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        api.SetRateLimit(DataType.PitchTracker, 0);
        var types = new ConcurrentQueue<DataType>();
        var consumer = new CallbackConsumer(d => types.Enqueue(d.DataType));
        Assert.Equal(api.RegisterConsumer(DataType.Levels, consumer), api.RegisterConsumer(DataType.PitchTracker, consumer));
        api.Publish(DataType.Levels, Blocks.Levels(1));
        api.Publish(DataType.PitchTracker, new PitchData { FrequencyHz = 440, Confidence = 0.9, NoteName = "A4" });
        await api.FlushAsync();
        Assert.Equal(2, types.Count);
        Assert.Contains(DataType.Levels, types);
        Assert.Contains(DataType.PitchTracker, types);
    }

    [Fact]
    public async Task RegisterConsumer_TwoConsumersWithSameId_Throws()
    {
        await using var api = new StreamingApi();
        api.RegisterConsumer(DataType.Levels, new QueueConsumer(consumerId: "dup"));
        var ex = Assert.Throws<ArgumentException>(() => api.RegisterConsumer(DataType.Levels, new QueueConsumer(consumerId: "dup")));
        Assert.Contains("dup", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_PayloadOfWrongType_Throws()
    {
        await using var api = new StreamingApi();
        api.RegisterConsumer(DataType.Levels, new QueueConsumer());
        var ex = Assert.Throws<ArgumentException>(() => api.Publish(DataType.Levels, new PitchData()));
        Assert.Contains("levels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_InvalidBlockSize_ErrorNamesOptionValueAndRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingApi(new StreamingApiOptions { BlockSize = 4 }));
        Assert.Contains("block_size is 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("between 16 and 65536", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_IsOneProcessWideInstance()
    {
        Assert.Same(StreamingApi.Default, StreamingApi.GetStreamingApi());
    }

    [Fact]
    public async Task Payloads_SharedNotCopied_AcrossConsumers()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        var a = new QueueConsumer();
        var b = new QueueConsumer();
        api.RegisterConsumer(DataType.Levels, a);
        api.RegisterConsumer(DataType.Levels, b);
        api.Publish(DataType.Levels, Blocks.Levels(1));
        Assert.Same(a.GetData(TimeSpan.Zero), b.GetData(TimeSpan.Zero));
    }

    private static long[] Drain(QueueConsumer queue)
    {
        var result = new List<long>();
        while (queue.TryGetData(out var d))
        {
            result.Add(d.Metadata.SequenceNumber);
        }

        return [.. result];
    }

    private static float[] MakeBlock(int frames, int channels, float amplitude)
    {
        var block = new float[frames * channels];
        for (var i = 0; i < frames; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                block[(i * channels) + c] = amplitude * MathF.Sin(2 * MathF.PI * 1000 * i / 48_000f);
            }
        }

        return block;
    }
}
