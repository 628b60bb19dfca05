using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Engine;

/// <summary>Rate limit and sequence numbers of one push-style producer (one data type and producer id).</summary>
internal sealed class ExternalPublisher(TokenBucket bucket)
{
    public TokenBucket Bucket { get; } = bucket;

    public long Sequence;
}
