namespace Friture.Streaming.Engine;

/// <summary>Counts events in one-second buckets to report a recent rate. Lock-free and allocation-free.</summary>
internal sealed class RateMeter
{
    private const int Window = 10;
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly long[] _counts = new long[Window + 1];
    private readonly long[] _seconds = new long[Window + 1];

    public RateMeter(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
    }

    public void Tick()
    {
        var second = CurrentSecond();
        var slot = (int)(second % _counts.Length);
        if (Volatile.Read(ref _seconds[slot]) != second)
        {
            // Benign race: two publishers crossing a second boundary at once may lose one count.
            Volatile.Write(ref _counts[slot], 0);
            Volatile.Write(ref _seconds[slot], second);
        }

        Interlocked.Increment(ref _counts[slot]);
    }

    /// <summary>Events per second over the last complete seconds (up to 10).</summary>
    public double RatePerSecond()
    {
        var now = CurrentSecond();
        var span = Math.Min(Window, now);
        if (span <= 0)
        {
            var elapsed = _timeProvider.GetElapsedTime(_origin).TotalSeconds;
            var slot = (int)(now % _counts.Length);
            return elapsed > 0 && Volatile.Read(ref _seconds[slot]) == now ? Volatile.Read(ref _counts[slot]) / elapsed : 0;
        }

        long total = 0;
        for (var s = now - span; s < now; s++)
        {
            var slot = (int)(s % _counts.Length);
            if (Volatile.Read(ref _seconds[slot]) == s)
            {
                total += Volatile.Read(ref _counts[slot]);
            }
        }

        return (double)total / span;
    }

    private long CurrentSecond() => (long)_timeProvider.GetElapsedTime(_origin).TotalSeconds;
}
