using Friture.Streaming.Engine;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.Udp;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Server.Tests.Clients;

/// <summary>
/// <see cref="ProtocolOptions.Linger"/>: a client's messages wait for the next audio blocks' so that several blocks leave
/// in one write, never longer than the linger; driven by delivery turns on a fake clock.
/// </summary>
public sealed class ClientSessionLingerTests
{
    // The CLI's default block: 512 frames at 48 kHz.
    private static readonly TimeSpan Block = TimeSpan.FromSeconds(512 / 48_000.0);

    [Fact]
    public async Task RegularBlocks_25Ms_ThreeBlocksLeaveTogether_NoMessageWaitsLongerThanTheLinger()
    {
        var clock = new FakeTimeProvider();
        var session = new TimedSession(new TcpProtocolOptions { TimeProvider = clock }, clock);
        Assert.Equal(TimeSpan.FromMilliseconds(25), session.Linger);
        var loop = session.RunSendLoopAsync();

        var sequence = 0;
        Turns(session, clock, ref sequence, turns: 31, messages: 3, every: Block);

        // The first turn leaves at once (no gap seen yet), then every third turn takes the two held before it.
        Assert.Equal([3, .. Enumerable.Repeat(9, 10)], session.Batches.Select(static b => b.Sequences.Length));
        Assert.Equal(Enumerable.Range(0, 93).Select(static i => (long)i), session.Batches.SelectMany(static b => b.Sequences));
        var longestWait = session.Waits.Max();
        Assert.InRange(longestWait, 2 * Block - TimeSpan.FromTicks(10), TimeSpan.FromMilliseconds(25));

        session.Complete();
        await loop;
        Assert.Equal(93, session.GetStatistics().Sent);
    }

    [Fact]
    public async Task LingerZero_ChosenByTheClient_WritesEveryTurn()
    {
        var clock = new FakeTimeProvider();
        var session = new TimedSession(new TcpProtocolOptions { TimeProvider = clock }, clock);
        session.UpdateSubscription(ClientSubscription.All with { Linger = TimeSpan.Zero });
        var loop = session.RunSendLoopAsync();

        var sequence = 0;
        Turns(session, clock, ref sequence, turns: 10, messages: 2, every: Block);

        Assert.Equal(10, session.Batches.Count);
        Assert.All(session.Waits, static w => Assert.Equal(TimeSpan.Zero, w));
        session.Complete();
        await loop;
    }

    [Fact]
    public async Task UdpDefault_IsZero_WritesEveryTurn()
    {
        var clock = new FakeTimeProvider();
        var session = new TimedSession(new UdpProtocolOptions { TimeProvider = clock }, clock);
        Assert.Equal(TimeSpan.Zero, session.Linger);
        var loop = session.RunSendLoopAsync();
        var sequence = 0;
        Turns(session, clock, ref sequence, turns: 5, messages: 1, every: Block);

        Assert.Equal(5, session.Batches.Count);
        session.Complete();
        await loop;
    }

    [Fact]
    public async Task SlowTurns_LongerThanTheLinger_EachLeavesAtOnce()
    {
        // A client of the 30 Hz spectrum only: the next turn is 33 ms away, so nothing is held.
        var clock = new FakeTimeProvider();
        var session = new TimedSession(new TcpProtocolOptions { TimeProvider = clock }, clock);
        var loop = session.RunSendLoopAsync();
        var sequence = 0;
        Turns(session, clock, ref sequence, turns: 10, messages: 1, every: TimeSpan.FromMilliseconds(33.3));

        Assert.Equal(10, session.Batches.Count);
        Assert.All(session.Waits, static w => Assert.Equal(TimeSpan.Zero, w));
        session.Complete();
        await loop;
    }

    [Fact]
    public async Task AfterAPause_TheFirstBlocksLeaveAtOnce_ThenGroupingResumes()
    {
        var clock = new FakeTimeProvider();
        var session = new TimedSession(new TcpProtocolOptions { TimeProvider = clock }, clock);
        var loop = session.RunSendLoopAsync();
        var sequence = 0;
        Turns(session, clock, ref sequence, turns: 4, messages: 1, every: Block);

        var before = session.Batches.Count;
        clock.Advance(TimeSpan.FromSeconds(1));
        // The long gap predicts a long gap: the first two turns after it are not held.
        Turn(session, clock, ref sequence, messages: 1);
        clock.Advance(Block);
        Turn(session, clock, ref sequence, messages: 1);
        Assert.Equal(before + 2, session.Batches.Count);
        clock.Advance(Block);
        Turn(session, clock, ref sequence, messages: 1);
        Assert.True(session.IsHolding);
        Assert.Equal(before + 2, session.Batches.Count);
        session.Complete();
        await loop;
    }

    [Fact]
    public async Task BlocksStop_TheHubsBackstopWritesWhatIsHeld()
    {
        var clock = new FakeTimeProvider();
        var session = new TimedSession(new TcpProtocolOptions { TimeProvider = clock }, clock);
        var hub = new ClientHub("t");
        hub.Add(session);
        var loop = session.RunSendLoopAsync();
        var sequence = 0;
        Turn(session, clock, ref sequence, messages: 1);
        clock.Advance(Block);
        Turn(session, clock, ref sequence, messages: 1);
        Assert.True(session.IsHolding);
        Assert.Single(session.Batches);

        // No further block: the hub's timer (every second) finds the held message past its linger and writes it.
        clock.Advance(ClientHub.LingerBackstopPeriod);
        Assert.False(session.IsHolding);
        Assert.Equal(2, session.Batches.Count);
        Assert.Equal([0L, 1L], session.Batches.SelectMany(static b => b.Sequences));

        hub.Remove(session);
        session.Complete();
        await loop;
    }

    [Fact]
    public void Backstop_BeforeTheLingerHasPassed_HoldsOn()
    {
        var clock = new FakeTimeProvider();
        var session = new TimedSession(new TcpProtocolOptions { TimeProvider = clock }, clock);
        _ = session.RunSendLoopAsync();
        var sequence = 0;
        Turn(session, clock, ref sequence, messages: 1);
        clock.Advance(Block);
        Turn(session, clock, ref sequence, messages: 1);
        Assert.False(session.FlushIfDue(clock.GetTimestamp()));
        clock.Advance(TimeSpan.FromMilliseconds(25));
        Assert.True(session.FlushIfDue(clock.GetTimestamp()));
        Assert.Equal(2, session.Batches.Count);
        session.Complete();
    }

    [Fact]
    public async Task MessagesOutsideATurn_AreNeverHeld()
    {
        // Control replies and application messages are queued outside a delivery turn: they leave at once.
        var clock = new FakeTimeProvider();
        var session = new TimedSession(new TcpProtocolOptions { TimeProvider = clock }, clock);
        var loop = session.RunSendLoopAsync();
        var sequence = 0;
        Turn(session, clock, ref sequence, messages: 1);
        clock.Advance(Block);
        Turn(session, clock, ref sequence, messages: 1);
        Assert.True(session.IsHolding);

        session.Record(sequence++, clock);
        Assert.False(session.IsHolding);
        Assert.Equal([[0L], [1L, 2L]], session.Batches.Select(static b => b.Sequences));
        session.Complete();
        await loop;
    }

    [Fact]
    public void Options_LingerOutOfRange_IsRefusedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TcpProtocol(options: new TcpProtocolOptions { Linger = TimeSpan.FromSeconds(2) }));
        Assert.Contains("Linger", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpProtocol(options: new TcpProtocolOptions { Linger = TimeSpan.FromMilliseconds(-1) }));
    }

    private static void Turns(TimedSession session, FakeTimeProvider clock, ref int sequence, int turns, int messages, TimeSpan every)
    {
        for (var turn = 0; turn < turns; turn++)
        {
            Turn(session, clock, ref sequence, messages);
            clock.Advance(every);
        }
    }

    private static void Turn(TimedSession session, FakeTimeProvider clock, ref int sequence, int messages)
    {
        DeferredWakes.Open();
        try
        {
            for (var i = 0; i < messages; i++)
            {
                session.Record(sequence++, clock);
            }
        }
        finally
        {
            DeferredWakes.Close();
        }
    }

    private sealed class TimedSession(ProtocolOptions options, FakeTimeProvider clock)
        : ClientSession("linger-1", "test", options, ClientSubscription.All)
    {
        private readonly Dictionary<long, DateTimeOffset> _queuedAt = [];

        public List<(long[] Sequences, DateTimeOffset At)> Batches { get; } = [];

        public List<TimeSpan> Waits { get; } = [];

        public void Record(int sequence, FakeTimeProvider at)
        {
            _queuedAt[sequence] = at.GetUtcNow();
            var message = MessageEncoder.Encode(TestData.Levels(sequence), SerializationFormat.Json);
            Enqueue(message);
            message.Release();
        }

        protected override ValueTask<long> WriteAsync(IReadOnlyList<OutboundMessage> batch, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            Batches.Add((batch.Select(static m => m.SequenceNumber).ToArray(), now));
            foreach (var message in batch)
            {
                Waits.Add(now - _queuedAt[message.SequenceNumber]);
            }

            return ValueTask.FromResult(0L);
        }
    }
}
