using Friture.Streaming.Engine;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Server.Tests.Clients;

/// <summary>The per-client queue and adaptive rate, driven by a gated transport and a fake clock.</summary>
public sealed class ClientSessionTests
{
    [Fact]
    public async Task AdaptiveRate_StepsDownWhileTheQueueFills_AndBackUpAfterItDrains()
    {
        var clock = new FakeTimeProvider();
        var session = new GatedSession(new TcpProtocolOptions { QueueCapacity = 10, MaxBatchSize = 1, TimeProvider = clock });
        var loop = session.RunSendLoopAsync();
        var sequence = 0;
        void Offer()
        {
            if (session.TryAdmit(DataType.Levels))
            {
                var message = MessageEncoder.Encode(TestData.Levels(sequence), SerializationFormat.Json);
                session.Enqueue(message);
                message.Release();
            }

            sequence++;
        }

        for (var i = 0; i < 6; i++)
        {
            Offer();
        }

        await Wait.UntilAsync(() => session.GetStatistics().QueueLength == 5, "one message in the stalled write, five queued");
        Assert.Equal(1, session.RateDivisor);

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Offer();
        Assert.Equal(2, session.RateDivisor);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Offer();
        Offer();
        Assert.Equal(4, session.RateDivisor);
        Assert.Equal(4, session.GetStatistics().RateDivisor);

        var skippedBefore = session.GetStatistics().Skipped;
        for (var i = 0; i < 8; i++)
        {
            Offer();
        }

        Assert.Equal(skippedBefore + 6, session.GetStatistics().Skipped);

        session.Gate.SetResult();
        await Wait.UntilAsync(() => session.GetStatistics().QueueLength == 0, "queue drained");
        Assert.Equal(4, session.RateDivisor);
        clock.Advance(TimeSpan.FromSeconds(1));
        Offer();
        Assert.Equal(2, session.RateDivisor);
        clock.Advance(TimeSpan.FromSeconds(1));
        Offer();
        Assert.Equal(1, session.RateDivisor);

        session.Complete();
        await loop;
    }

    [Fact]
    public async Task DropOldest_WhenFull_CountsDropsAndKeepsTheNewest()
    {
        var session = new GatedSession(new TcpProtocolOptions { QueueCapacity = 4, MaxBatchSize = 64, AdaptiveRate = false });
        var loop = session.RunSendLoopAsync();

        // The first message is taken by the send loop, which then waits at the gate; only then come the other 19, so the
        // queue fills whatever the scheduling (when the loop woke after all 20, it took the 4 kept ones and the queue
        // never read full).
        Enqueue(session, 0);
        await session.Writing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 1; i < 20; i++)
        {
            Enqueue(session, i);
        }

        Assert.Equal(4, session.GetStatistics().QueueLength);
        Assert.Equal(15, session.GetStatistics().Dropped);
        session.Gate.SetResult();
        session.Complete();
        await loop;

        var statistics = session.GetStatistics();
        Assert.Equal(5, statistics.Sent);
        Assert.Equal(20, statistics.Sent + statistics.Dropped);
        Assert.Equal(19, session.LastSequence);
    }

    [Fact]
    public async Task Enqueue_InsideADeliveryTurn_WritesTheTurnsMessagesInOneBatchWhenTheTurnEnds()
    {
        var session = new RecordingSession(new TcpProtocolOptions { QueueCapacity = 256, MaxBatchSize = 32 });
        var loop = session.RunSendLoopAsync();
        DeferredWakes.Open();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                Enqueue(session, i);
            }

            // Queued, not written: the loop is woken when the turn ends.
            Assert.Empty(session.Batches);
            Assert.Equal(5, session.GetStatistics().QueueLength);
        }
        finally
        {
            DeferredWakes.Close();
        }

        // The loop ran on this thread, inside Close: one batch of five, in order.
        var batch = Assert.Single(session.Batches);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], batch.Sequences);
        Assert.Equal(Environment.CurrentManagedThreadId, batch.ThreadId);

        session.Complete();
        await loop;
        Assert.Equal(5, session.GetStatistics().Sent);
    }

    [Fact]
    public async Task Enqueue_OutsideADeliveryTurn_WritesAtOnceOnTheQueuingThread()
    {
        var session = new RecordingSession(new TcpProtocolOptions { QueueCapacity = 256, MaxBatchSize = 32 });
        var loop = session.RunSendLoopAsync();
        Enqueue(session, 0);
        Enqueue(session, 1);

        Assert.Equal(2, session.Batches.Count);
        Assert.All(session.Batches, b => Assert.Equal(Environment.CurrentManagedThreadId, b.ThreadId));
        session.Complete();
        await loop;
    }

    [Fact]
    public async Task Enqueue_TurnFillsAQuarterOfTheQueue_StartsWritingBeforeTheTurnEnds()
    {
        // A long turn (a backlog after a stall) must not overflow the queue before its end: at a quarter of the
        // capacity the loop is woken at once.
        var session = new RecordingSession(new TcpProtocolOptions { QueueCapacity = 8, MaxBatchSize = 32, AdaptiveRate = false });
        var loop = session.RunSendLoopAsync();
        DeferredWakes.Open();
        try
        {
            for (var i = 0; i < 7; i++)
            {
                Enqueue(session, i);
            }

            Assert.Equal([2, 2, 2], session.Batches.Select(b => b.Sequences.Length));
        }
        finally
        {
            DeferredWakes.Close();
        }

        Assert.Equal(4, session.Batches.Count);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), session.Batches.SelectMany(b => b.Sequences));
        Assert.Equal(0, session.GetStatistics().Dropped);
        session.Complete();
        await loop;
    }

    private static void Enqueue(ClientSession session, int sequence)
    {
        var message = MessageEncoder.Encode(TestData.Levels(sequence), SerializationFormat.Json);
        session.Enqueue(message);
        message.Release();
    }

    private sealed class RecordingSession(ProtocolOptions options)
        : ClientSession("test-2", "test", options, ClientSubscription.All)
    {
        public List<(long[] Sequences, int ThreadId)> Batches { get; } = [];

        protected override ValueTask<long> WriteAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
        {
            Batches.Add((batch.Select(m => m.SequenceNumber).ToArray(), Environment.CurrentManagedThreadId));
            return ValueTask.FromResult(0L);
        }
    }

    private sealed class GatedSession(ProtocolOptions options)
        : ClientSession("test-1", "test", options, ClientSubscription.All)
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Writing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long LastSequence { get; private set; } = -1;

        protected override async ValueTask<long> WriteAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
        {
            Writing.TrySetResult();
            await Gate.Task.WaitAsync(cancellationToken);
            LastSequence = batch[^1].SequenceNumber;
            return 0;
        }
    }
}
