using Friture.Streaming.Consumers;
using Friture.Streaming.RateLimiting;
using Friture.Streaming.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.RateLimiting;

public sealed class RateLimiterTests
{
    private static readonly float[] Block = new float[512 * 2];

    [Fact]
    public void DefaultRates_AreTheOriginalApis()
    {
        var rates = RateLimiter.DefaultRates;
        Assert.Equal(50, rates[DataType.PitchTracker]);
        Assert.Equal(30, rates[DataType.FftSpectrum]);
        Assert.Equal(20, rates[DataType.OctaveSpectrum]);
        Assert.Equal(100, rates[DataType.Levels]);
        Assert.Equal(10, rates[DataType.DelayEstimator]);
        Assert.Equal(25, rates[DataType.Spectrogram]);
        Assert.Equal(60, rates[DataType.Scope]);
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(50.0)]
    public async Task SetRateLimit_ProducerFasterThanLimit_PublishedRateWithin5PercentOver10SimulatedSeconds(double limitHz)
    {
        var time = new FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = time });
        api.SetRateLimit(DataType.Levels, limitHz);
        var producer = new CountingProducer();
        api.RegisterProducer(producer);
        var queue = new QueueConsumer(maxQueueSize: 100_000);
        api.RegisterConsumer(DataType.Levels, queue);

        // 48 kHz, 512-frame blocks: 93.75 blocks per second of audio, each offering a result.
        long frame = 0;
        var blocks = (int)(10 * 48_000 / 512.0);
        for (var i = 0; i < blocks; i++)
        {
            Blocks.Feed(api, Block, Blocks.Stereo48k, ref frame);
            time.Advance(TimeSpan.FromSeconds(512 / 48_000.0));
        }

        var expected = limitHz * 10;
        Assert.InRange(queue.Count, expected * 0.95, expected * 1.05);

        // A limited result is never built: ExtractData ran once per published message.
        Assert.Equal(queue.Count, producer.ExtractCalls);
        Assert.Equal(blocks, producer.ProcessCalls);
        var stats = api.RateLimiter.GetStatistics().DataTypes["levels"];
        Assert.Equal(queue.Count, stats.Admitted);
        Assert.Equal(blocks - queue.Count, stats.Limited);
        Assert.Equal(blocks - queue.Count, api.GetStatistics().DataTypes["levels"].RateLimited);
    }

    [Fact]
    public async Task SetRateLimit_Zero_DisablesLimiting()
    {
        var time = new FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = time });
        api.SetRateLimit(DataType.Scope, 0);
        var queue = new QueueConsumer(maxQueueSize: 10_000);
        api.RegisterConsumer(DataType.Scope, queue);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(api.Publish(DataType.Scope, new Data.ScopeData()));
        }

        Assert.Equal(1000, queue.Count);
        Assert.Equal(0, api.RateLimiter.GetRateLimit(DataType.Scope));
    }

    [Fact]
    public async Task SetRateLimit_Negative_ErrorNamesDataType()
    {
        await using var api = new StreamingApi();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => api.SetRateLimit(DataType.PitchTracker, -5));
        Assert.Contains("rate_limits.pitch_tracker is -5", ex.Message, StringComparison.Ordinal);
    }
}
