namespace Friture.Streaming.RateLimiting;

/// <summary>Rate limiting of one data type, summed over its producers.</summary>
public sealed record RateLimitStatistics
{
    /// <summary>Configured maximum rate per producer in Hz (0 = unlimited).</summary>
    public double MaxRateHz { get; init; }

    /// <summary>Bucket capacity in messages.</summary>
    public double Burst { get; init; }

    /// <summary>Messages admitted.</summary>
    public long Admitted { get; init; }

    /// <summary>Results the limiter refused (their payloads were never built).</summary>
    public long Limited { get; init; }
}
