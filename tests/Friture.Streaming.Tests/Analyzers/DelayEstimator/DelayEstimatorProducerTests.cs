using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Tests.Dsp.Pitch;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Analyzers.DelayEstimator;

public sealed class DelayEstimatorProducerTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2);

    [Theory]
    [InlineData(100, new[] { -4700, -1234, -37, 0, 1, 480, 2999, 4750 })]
    [InlineData(1000, new[] { -47000, -12345, -1000, 0, 3, 9999, 33333, 47000 })]
    public void ExtractData_KnownDelaysAcrossRangeAt0DbSnr_WithinOneSample(double rangeMs, int[] delays)
    {
        foreach (var delay in delays)
        {
            var data = Run(new DelayEstimatorOptions { MaxDelayMs = rangeMs }, delay, snrDb: 0, invert: false, seed: delay);
            Assert.True(Math.Abs(Assert.NotNull(data.DelaySamples) - delay) <= 1, $"range {rangeMs} ms, delay {delay}: measured {data.DelaySamples:F3} samples");
            Assert.Equal(Polarity.InPhase, data.Polarity);
            Assert.Equal(Assert.NotNull(data.DelaySamples) / 48.0, Assert.NotNull(data.DelayMs), 1e-9);
            Assert.Equal(Assert.NotNull(data.DelayMs) / 1000 * 343, Assert.NotNull(data.DistanceM), 1e-9);
            Assert.True(data.Confidence > 0.5, $"delay {delay}: confidence {data.Confidence:F3}");
        }
    }

    [Theory]
    [InlineData(100, 250)]
    [InlineData(1000, -20000)]
    public void ExtractData_InvertedSecondChannel_ReversedPolarityAndRightDelay(double rangeMs, int delay)
    {
        var data = Run(new DelayEstimatorOptions { MaxDelayMs = rangeMs }, delay, snrDb: 0, invert: true, seed: 99);
        Assert.Equal(Polarity.Reversed, data.Polarity);
        Assert.True(data.CorrelationPeak < 0);
        Assert.True(Math.Abs(Assert.NotNull(data.DelaySamples) - delay) <= 1, $"measured {data.DelaySamples:F3}");
    }

    [Fact]
    public void ExtractData_UnrelatedChannels_LowConfidence()
    {
        var data = Run(new DelayEstimatorOptions { MaxDelayMs = 100 }, 0, snrDb: double.NegativeInfinity, invert: false, seed: 3);
        Assert.True(data.Confidence < 0.3, $"confidence {data.Confidence:F3}");
    }

    [Fact]
    public void ProcessBlock_SteadyState_AllocatesNothing()
    {
        var producer = new DelayEstimatorProducer(new DelayEstimatorOptions { MaxDelayMs = 20 });
        var samples = new float[512 * 2];
        var random = new Random(8);
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)((random.NextDouble() * 2) - 1);
        }

        long frame = 0;
        for (var i = 0; i < 50; i++)
        {
            producer.ProcessBlock(new AudioBlock(samples, Stereo48k, frame));
            frame += 512;
        }

        var results = 0;
        Allocations.AssertSteadyStateAllocatesNothing(() =>
        {
            results = 0;
            for (var i = 0; i < 500; i++)
            {
                results += producer.ProcessBlock(new AudioBlock(samples, Stereo48k, frame)) ? 1 : 0;
                frame += 512;
            }
        });
        Assert.True(results > 100);
    }

    [Theory]
    [InlineData(1, 1, 1000, "SecondChannel is 1")]
    [InlineData(0, 2, 1000, "FirstChannel is 0")]
    [InlineData(1, 2, 5000, "MaxDelayMs is 5000")]
    public void Constructor_OutOfRangeOption_ThrowsNamingTheOption(int first, int second, double range, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DelayEstimatorProducer(new DelayEstimatorOptions { FirstChannel = first, SecondChannel = second, MaxDelayMs = range }));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// White Gaussian source s; channel 1 = s + n1, channel 2 = +-s delayed by <paramref name="delay"/> samples + n2,
    /// with independent noises n1, n2 each at <paramref name="snrDb"/> below s. Runs for five frames' hops after the
    /// first full frame and returns the last estimate.
    /// </summary>
    private static DelayEstimatorData Run(DelayEstimatorOptions options, int delay, double snrDb, bool invert, int seed)
    {
        var producer = new DelayEstimatorProducer(options);
        var random = new Random(seed);
        var rangeSamples = (int)(options.MaxDelayMs * 48);
        var total = (2 * rangeSamples) + (4 * rangeSamples) + 48000;
        var margin = Math.Abs(delay) + 1;
        var source = new float[total + (2 * margin)];
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = (float)Gaussian(random);
        }

        var signal = double.IsNegativeInfinity(snrDb) ? 0 : 1.0;
        var noise = double.IsNegativeInfinity(snrDb) ? 1.0 : Math.Pow(10, -snrDb / 20);
        var block = new float[512 * 2];
        DelayEstimatorData? last = null;
        for (var start = 0; start + 512 <= total; start += 512)
        {
            for (var i = 0; i < 512; i++)
            {
                var n = margin + start + i;
                var s2 = source[n - delay] * (invert ? -1 : 1);
                block[2 * i] = (float)(0.1 * ((signal * source[n]) + (noise * Gaussian(random))));
                block[(2 * i) + 1] = (float)(0.1 * ((signal * s2) + (noise * Gaussian(random))));
            }

            if (producer.ProcessBlock(new AudioBlock(block, Stereo48k, start)))
            {
                last = Assert.IsType<DelayEstimatorData>(producer.ExtractData());
            }
        }

        Assert.NotNull(last);
        return last;
    }

    private static double Gaussian(Random random) => YinPitchDetectorTests.Gaussian(random);
}
