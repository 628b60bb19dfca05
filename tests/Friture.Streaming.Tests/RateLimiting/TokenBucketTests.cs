using Friture.Streaming.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.RateLimiting;

public sealed class TokenBucketTests
{
    [Theory]
    [InlineData(50.0)]
    [InlineData(30.0)]
    [InlineData(20.0)]
    [InlineData(100.0)]
    [InlineData(10.0)]
    [InlineData(25.0)]
    [InlineData(60.0)]
    [InlineData(7.5)]
    public void TryAcquire_OfferedAt1kHzFor10Seconds_AdmitsRateWithin5Percent(double rateHz)
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(rateHz, burst: 2, time);
        var admitted = 0;
        for (var ms = 0; ms < 10_000; ms++)
        {
            admitted += bucket.TryAcquire() ? 1 : 0;
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var expected = rateHz * 10;
        Assert.InRange(admitted, expected * 0.95, expected * 1.05);
        Assert.Equal(admitted, bucket.Admitted);
        Assert.Equal(10_000 - admitted, bucket.Rejected);
    }

    [Fact]
    public void TryAcquire_AfterIdle_BurstIsTwo()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(10, burst: 2, time);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(bucket.TryAcquire());
        Assert.True(bucket.TryAcquire());
        Assert.False(bucket.TryAcquire());
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(bucket.TryAcquire());
        Assert.False(bucket.TryAcquire());
    }

    [Fact]
    public void TryAcquire_RateZero_Unlimited()
    {
        var bucket = new TokenBucket(0, timeProvider: new FakeTimeProvider());
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(bucket.TryAcquire());
        }
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(2_000_000.0)]
    public void Constructor_InvalidRate_MessageNamesValueAndRange(double rate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(rate));
        Assert.Contains("between 0 (unlimited) and 1000000 Hz", ex.Message, StringComparison.Ordinal);
    }
}
