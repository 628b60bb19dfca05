using Friture.Streaming.Dsp.Delay;

namespace Friture.Streaming.Tests.Dsp.Delay;

public sealed class GccPhatEstimatorTests
{
    [Theory]
    [InlineData(4800, 1)]
    [InlineData(16000, 1)]
    [InlineData(48000, 4)]
    [InlineData(192000, 16)]
    public void Constructor_DelayRange_SmallestDecimationThatFitsTheFft(int maxDelaySamples, int expected)
    {
        var estimator = new GccPhatEstimator(48000, maxDelaySamples);
        Assert.Equal(expected, estimator.Decimation);
        Assert.Equal(2 * estimator.MaxLag, estimator.FrameLength);
    }

    [Fact]
    public void Compute_CleanDelayedCopy_PeakNearOneAtTheDelay()
    {
        var estimator = new GccPhatEstimator(48000, 480);
        var random = new Random(5);
        var source = new float[8192];
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = (float)((random.NextDouble() * 2) - 1);
        }

        DelayEstimate? result = null;
        for (var n = 100; n < source.Length; n++)
        {
            if (estimator.Write(source[n], source[n - 37]) && estimator.FrameReady)
            {
                result = estimator.Compute();
            }
        }

        Assert.NotNull(result);
        Assert.Equal(37, result.Value.DelaySamples, 0.05);

        // A Hann-windowed frame only partly overlaps its delayed copy, so the peak is a little below 1.
        Assert.InRange(result.Value.CorrelationPeak, 0.8, 1.0);
        Assert.True(result.Value.Confidence > 0.8, $"confidence {result.Value.Confidence}");
    }
}
