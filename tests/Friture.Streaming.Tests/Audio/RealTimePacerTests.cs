using Friture.Streaming.Audio;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Audio;

public sealed class RealTimePacerTests
{
    [Fact]
    public async Task WaitUntil_ClockAdvancedWhileTheTimerIsArmed_ReturnsWithoutAnotherAdvance()
    {
        // The race a test's fake clock can hit: the pacer reads the clock, the other thread advances it past the due
        // time, then the pacer arms its timer relative to the new "now". This clock makes that happen on every arm.
        var time = new AdvanceOnArmTimeProvider(TimeSpan.FromSeconds(1));
        using var pacer = new RealTimePacer(time, 48_000, maxLagFrames: 48_000);
        pacer.Restart();

        var wait = Task.Run(() => pacer.WaitUntil(24_000, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        // Before the fix the wait never returned: its timer was armed for a time the clock had already passed.
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(1, time.Arms);
    }

    private sealed class AdvanceOnArmTimeProvider(TimeSpan advance) : FakeTimeProvider
    {
        public int Arms;

        private TimeSpan Step { get; } = advance;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new ArmingTimer(this, base.CreateTimer(callback, state, dueTime, period));

        private sealed class ArmingTimer(AdvanceOnArmTimeProvider owner, ITimer inner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (dueTime != Timeout.InfiniteTimeSpan && Interlocked.Increment(ref owner.Arms) == 1)
                {
                    // Another thread moves the clock on between the pacer's reading and its arming of the timer.
                    owner.Advance(owner.Step);
                }

                return inner.Change(dueTime, period);
            }

            public void Dispose() => inner.Dispose();

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
