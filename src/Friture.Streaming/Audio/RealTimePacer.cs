namespace Friture.Streaming.Audio;

/// <summary>
/// Paces a synthetic or file source to the wall clock of a <see cref="TimeProvider"/>: a read of frames
/// [n, n + k) returns no earlier than (n + k) / sample rate seconds after <see cref="Restart"/>.
/// </summary>
/// <remarks>
/// Waiting uses one timer created up front and re-armed with <see cref="ITimer.Change"/>, and one event registered once
/// with the reader's token, so steady
/// state allocates nothing. With a <c>FakeTimeProvider</c> the reads advance exactly when the test advances time.
/// When the reader falls behind by more than the allowed latency, the pacer tells it how many frames to skip, which
/// the source turns into a gap in its frame index (an overrun the capture loop counts).
/// </remarks>
internal sealed class RealTimePacer : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly int _sampleRate;
    private readonly long _maxLagFrames;
    private readonly CancellableSignal _tick = new();
    private readonly ITimer _timer;
    private long _startTimestamp;
    private readonly bool _systemClock;
    private volatile bool _stopped;

    /// <summary>Creates a pacer.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="maxLagFrames">How far, in frames, the reader may fall behind before frames are skipped.</param>
    public RealTimePacer(TimeProvider timeProvider, int sampleRate, long maxLagFrames)
    {
        _timeProvider = timeProvider;
        _sampleRate = sampleRate;
        _maxLagFrames = maxLagFrames;
        _systemClock = ReferenceEquals(timeProvider, TimeProvider.System);
        _timer = timeProvider.CreateTimer(static s => ((RealTimePacer)s!)._tick.Set(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Restarts the clock at frame 0, now.</summary>
    public void Restart()
    {
        _stopped = false;
        _startTimestamp = _timeProvider.GetTimestamp();
    }

    /// <summary>Makes a pending <see cref="WaitUntil"/> return <see langword="false"/>.</summary>
    public void Stop()
    {
        _stopped = true;
        _tick.Set();
    }

    /// <summary>Frames due by now (elapsed time × sample rate).</summary>
    /// <returns>The frame count.</returns>
    public long DueFrames()
    {
        var elapsed = _timeProvider.GetElapsedTime(_startTimestamp);
        return (long)(elapsed.Ticks * (double)_sampleRate / TimeSpan.TicksPerSecond);
    }

    /// <summary>Frames the reader at <paramref name="position"/> must skip to be within the allowed lag (0 when on time).</summary>
    /// <param name="position">The next frame the reader would deliver.</param>
    /// <returns>Frames to skip.</returns>
    public long FramesToSkip(long position)
    {
        var lag = DueFrames() - position;
        return lag > _maxLagFrames ? lag - _maxLagFrames : 0;
    }

    /// <summary>
    /// Moves the clock's origin forward so that a reader at <paramref name="position"/> is at most the allowed lag
    /// behind: the audio waits for the reader instead of being skipped (for sources that must not lose anything, such
    /// as files).
    /// </summary>
    /// <param name="position">The next frame the reader will deliver.</param>
    /// <returns>The frames by which the clock was held back (0 when on time).</returns>
    public long HoldBack(long position)
    {
        var excess = DueFrames() - position - _maxLagFrames;
        if (excess <= 0)
        {
            return 0;
        }

        _startTimestamp += (long)Math.Ceiling(excess * (double)_timeProvider.TimestampFrequency / _sampleRate);
        return excess;
    }

    /// <summary>Blocks until frame <paramref name="endFrame"/> is due.</summary>
    /// <param name="endFrame">One past the last frame to deliver.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="false"/> when stopped or cancelled.</returns>
    public bool WaitUntil(long endFrame, CancellationToken cancellationToken)
    {
        while (!_stopped && !cancellationToken.IsCancellationRequested)
        {
            var due = DueFrames();
            if (due >= endFrame)
            {
                return true;
            }

            // Ceiling, so that the timer never fires a tick early and spins.
            var ticks = (((endFrame - due) * TimeSpan.TicksPerSecond) + _sampleRate - 1) / _sampleRate;
            _tick.Reset();
            if (_stopped)
            {
                return false;
            }

            if (_systemClock)
            {
                // The system clock: a timed wait on this thread, so no timer callback wakes a thread-pool worker
                // (which then spins looking for work) on every block. Whole milliseconds, rounded up: timed waits
                // count in milliseconds, so a shorter delay reads as 0 and the loop would spin through the last
                // fraction of every block (together about 50 ms of CPU per second of audio).
                var wait = TimeSpan.FromMilliseconds(Math.Max(1, (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond));
                if (!_tick.Wait(wait, cancellationToken))
                {
                    return false;
                }

                continue;
            }

            _timer.Change(TimeSpan.FromTicks(Math.Max(ticks, 1)), Timeout.InfiniteTimeSpan);

            // The clock may have moved on between reading it and arming the timer (a test advancing a fake clock from
            // another thread): the timer then waits for a time that is already past, so look again before sleeping.
            // An advance after the timer was armed fires it, and the event stays set for the wait below.
            if (DueFrames() >= endFrame)
            {
                continue;
            }

            if (!_tick.Wait(cancellationToken))
            {
                return false;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _timer.Dispose();
        _tick.Dispose();
    }
}
