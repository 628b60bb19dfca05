using System.Collections.Immutable;

namespace Friture.Streaming.RateLimiting;

/// <summary>Rate limiter statistics (<c>api._rate_limiter.get_statistics()</c> in the original Friture streaming API).</summary>
public sealed record RateLimiterStatistics
{
    /// <summary>Per data type (wire name).</summary>
    public ImmutableDictionary<string, RateLimitStatistics> DataTypes { get; init; } = ImmutableDictionary<string, RateLimitStatistics>.Empty;
}
