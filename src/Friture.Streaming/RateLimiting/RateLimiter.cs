using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Friture.Streaming.RateLimiting;

/// <summary>
/// Limits how often each producer publishes, with a token bucket per producer (<c>api._rate_limiter</c> in the original Friture streaming API,
/// public here as <see cref="StreamingApi.RateLimiter"/>).
/// </summary>
/// <remarks>
/// <para>
/// The limit is set per data type (<see cref="SetRateLimit"/>) and applies to each producer of that type. Each bucket
/// holds <see cref="DefaultBurst"/> tokens (so after a pause at most two messages go out back to back) and refills at the
/// configured rate. The engine asks the bucket before it builds a payload, so a result the limiter would drop is never
/// built. Defaults are the original API's: pitch 50 Hz, FFT 30, octave 20, levels 100, delay 10, spectrogram 25, scope 60 (and loudness 10);
/// application-defined types are unlimited until set.
/// </para>
/// <para>Time comes from the API's <see cref="TimeProvider"/>. Thread-safe.</para>
/// </remarks>
public sealed class RateLimiter
{
    /// <summary>Bucket capacity in messages (the original API's burst of 2).</summary>
    public const double DefaultBurst = 2.0;

    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly Dictionary<DataType, double> _rates = new();
    private readonly Dictionary<DataType, List<TokenBucket>> _buckets = new();

    internal RateLimiter(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        foreach (var (type, rate) in DefaultRates)
        {
            _rates[type] = rate;
        }
    }

    /// <summary>The original API's default rates in Hz.</summary>
    public static FrozenDictionary<DataType, double> DefaultRates { get; } =
        DataType.BuiltIn.ToFrozenDictionary(static type => type, static type => type.DefaultRateHz);

    /// <summary>Sets the maximum rate for a data type (<c>set_rate_limit</c> in the original Friture streaming API); 0 disables limiting.</summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="maxRateHz">Messages per second per producer, 0 (unlimited) to 1,000,000.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative, not finite or too large.</exception>
    public void SetRateLimit(DataType dataType, double maxRateHz)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        TokenBucket.Validate(maxRateHz, DefaultBurst, $"rate_limits.{dataType.Name}");
        lock (_lock)
        {
            _rates[dataType] = maxRateHz;
            if (_buckets.TryGetValue(dataType, out var buckets))
            {
                foreach (var bucket in buckets)
                {
                    bucket.Configure(maxRateHz, DefaultBurst);
                }
            }
        }
    }

    /// <summary>The maximum rate of a data type in Hz (0 = unlimited).</summary>
    /// <param name="dataType">The data type.</param>
    /// <returns>The rate.</returns>
    public double GetRateLimit(DataType dataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        lock (_lock)
        {
            return _rates.TryGetValue(dataType, out var rate) ? rate : 0;
        }
    }

    /// <summary>Every data type's rate, defaults included.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<DataType, double> GetRateLimits()
    {
        lock (_lock)
        {
            return new Dictionary<DataType, double>(_rates);
        }
    }

    /// <summary>Returns per-type admitted and limited counts.</summary>
    /// <returns>A snapshot.</returns>
    public RateLimiterStatistics GetStatistics()
    {
        var result = ImmutableDictionary.CreateBuilder<string, RateLimitStatistics>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var (type, rate) in _rates)
            {
                long admitted = 0, limited = 0;
                if (_buckets.TryGetValue(type, out var buckets))
                {
                    foreach (var bucket in buckets)
                    {
                        admitted += bucket.Admitted;
                        limited += bucket.Rejected;
                    }
                }

                result[type.Name] = new RateLimitStatistics { MaxRateHz = rate, Burst = DefaultBurst, Admitted = admitted, Limited = limited };
            }
        }

        return new RateLimiterStatistics { DataTypes = result.ToImmutable() };
    }

    /// <summary>Creates the bucket of one producer (or external publisher) of a data type.</summary>
    internal TokenBucket CreateBucket(DataType dataType)
    {
        lock (_lock)
        {
            var rate = _rates.TryGetValue(dataType, out var r) ? r : 0;
            var bucket = new TokenBucket(rate, DefaultBurst, _timeProvider);
            if (!_buckets.TryGetValue(dataType, out var buckets))
            {
                _buckets[dataType] = buckets = [];
            }

            buckets.Add(bucket);
            return bucket;
        }
    }

    /// <summary>Forgets a bucket whose producer was removed (its counts leave the statistics).</summary>
    internal void RemoveBucket(DataType dataType, TokenBucket bucket)
    {
        lock (_lock)
        {
            if (_buckets.TryGetValue(dataType, out var buckets))
            {
                buckets.Remove(bucket);
            }
        }
    }
}
