namespace Friture.Streaming.RateLimiting;

/// <summary>
/// A token bucket: admits on average <see cref="RateHz"/> events per second with bursts of up to
/// <see cref="Burst"/> events. Thread-safe and allocation-free.
/// </summary>
/// <remarks>
/// Time comes from a <see cref="TimeProvider"/>'s monotonic timestamp, so tests drive it with a fake clock. The bucket
/// starts full. A rate of 0 admits everything.
/// </remarks>
internal sealed class TokenBucket
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private double _rateHz;
    private double _burst;
    private double _tokens;
    private long _lastTimestamp;
    private long _admitted;
    private long _rejected;

    /// <summary>Creates a bucket.</summary>
    /// <param name="rateHz">Average rate in events per second, 0 (unlimited) to 1,000,000.</param>
    /// <param name="burst">Bucket capacity in events, at least 1 (default 2, as in the original API).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public TokenBucket(double rateHz, double burst = 2.0, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        Configure(rateHz, burst);
        _tokens = _burst;
        _lastTimestamp = _timeProvider.GetTimestamp();
    }

    /// <summary>Average admitted rate in events per second (0 = unlimited).</summary>
    public double RateHz => Volatile.Read(ref _rateHz);

    /// <summary>Bucket capacity in events.</summary>
    public double Burst => Volatile.Read(ref _burst);

    /// <summary>Events admitted so far.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    /// <summary>Events refused so far.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Changes the rate and burst; the tokens already in the bucket are kept (capped at the new burst).</summary>
    /// <param name="rateHz">Average rate in events per second, 0 (unlimited) to 1,000,000.</param>
    /// <param name="burst">Bucket capacity in events, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Configure(double rateHz, double burst = 2.0)
    {
        Validate(rateHz, burst);
        lock (_lock)
        {
            _rateHz = rateHz;
            _burst = burst;
            _tokens = Math.Min(_tokens, burst);
        }
    }

    /// <summary>Would an event be admitted now? Does not consume a token.</summary>
    /// <returns><see langword="true"/> when a token is available.</returns>
    public bool CanAcquire()
    {
        lock (_lock)
        {
            Refill();
            return _rateHz == 0 || _tokens >= 1.0;
        }
    }

    /// <summary>Takes a token when one is available.</summary>
    /// <returns><see langword="true"/> when the event is admitted.</returns>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_rateHz == 0)
            {
                _admitted++;
                return true;
            }

            Refill();
            if (_tokens >= 1.0)
            {
                _tokens -= 1.0;
                _admitted++;
                return true;
            }

            _rejected++;
            return false;
        }
    }

    /// <summary>Checks a rate and burst.</summary>
    /// <param name="rateHz">The rate in Hz.</param>
    /// <param name="burst">The burst.</param>
    /// <param name="name">How the caller names the rate in error messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static void Validate(double rateHz, double burst, string name = "rate_hz")
    {
        if (!double.IsFinite(rateHz) || rateHz < 0 || rateHz > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz,
                $"{name} is {rateHz}; it must be between 0 (unlimited) and 1000000 Hz.");
        }

        if (!double.IsFinite(burst) || burst < 1 || burst > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, $"burst is {burst}; it must be between 1 and 1000000 events.");
        }
    }

    private void Refill()
    {
        var now = _timeProvider.GetTimestamp();
        var elapsed = (now - _lastTimestamp) / (double)_timeProvider.TimestampFrequency;
        _lastTimestamp = now;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_burst, _tokens + (elapsed * _rateHz));
        }
    }
}
