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
        var source = new float[32768];
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

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void DesignAntiAlias_FlatOverTheAnalysedBandAndDeepWhereItsAliasesComeFrom(int decimation)
    {
        var taps = GccPhatEstimator.DesignAntiAlias(decimation);
        double Gain(double f)
        {
            double re = 0, im = 0;
            for (var k = 0; k < taps.Length; k++)
            {
                re += taps[k] * Math.Cos(2 * Math.PI * f * k);
                im -= taps[k] * Math.Sin(2 * Math.PI * f * k);
            }

            return 20 * Math.Log10(Math.Sqrt((re * re) + (im * im)));
        }

        // Frequencies as fractions of the input rate: the analysed band is up to a quarter of the decimated rate, and
        // what would alias into it lies from three quarters of the decimated rate up.
        var worstPass = 0.0;
        var worstStop = double.NegativeInfinity;
        for (var i = 0; i <= 2000; i++)
        {
            var f = i / 4000.0;
            var g = Gain(f);
            if (f <= 0.25 / decimation)
            {
                worstPass = Math.Max(worstPass, Math.Abs(g));
            }
            else if (f >= 0.75 / decimation)
            {
                worstStop = Math.Max(worstStop, g);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"D={decimation}: {taps.Length} taps, pass band within {worstPass:F4} dB, stop band {worstStop:F1} dB");
        Assert.True(worstPass < 0.01, $"pass band ripple {worstPass:F4} dB");
        Assert.True(worstStop < -80, $"stop band {worstStop:F1} dB");
    }

    [Theory]
    [InlineData(48000, 2, 0, 1)]
    [InlineData(48000, 3, 2, 0)]
    [InlineData(2000, 2, 0, 1)]
    [InlineData(12000, 2, 1, 0)]
    public void WriteFrames_AnyBlockSizes_SameEstimatesAsSampleBySampleWrite(int maxDelaySamples, int channels, int first, int second)
    {
        var bySample = new GccPhatEstimator(48000, maxDelaySamples);
        var byBlock = new GccPhatEstimator(48000, maxDelaySamples);
        var random = new Random(21);
        var total = (3 * bySample.FrameLength * bySample.Decimation) + 777;
        var interleaved = new float[total * channels];
        for (var i = 0; i < interleaved.Length; i++)
        {
            interleaved[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var expected = new List<DelayEstimate>();
        for (var n = 0; n < total; n++)
        {
            if (bySample.Write(interleaved[(n * channels) + first], interleaved[(n * channels) + second]) && bySample.FrameReady)
            {
                expected.Add(bySample.Compute());
            }
        }

        var actual = new List<DelayEstimate>();
        var offset = 0;
        while (offset < total)
        {
            var block = Math.Min(total - offset, 1 + random.Next(1500));
            var end = offset + block;
            while (offset < end)
            {
                offset += byBlock.WriteFrames(interleaved.AsSpan(offset * channels, (end - offset) * channels), channels, first, second);
                if (byBlock.FrameReady)
                {
                    actual.Add(byBlock.Compute());
                }
            }
        }

        Assert.True(expected.Count >= 3, $"{expected.Count} frames");
        Assert.Equal(expected, actual);
    }
}
