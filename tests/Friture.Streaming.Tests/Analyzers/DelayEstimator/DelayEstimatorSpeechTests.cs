using System.Globalization;
using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Tests.Dsp.Pitch;

namespace Friture.Streaming.Tests.Analyzers.DelayEstimator;

/// <summary>
/// The delay estimator on speech (espeak-ng, resampled to 48 kHz): channel 2 is the speech delayed by a whole number of
/// samples, each channel gets its own white noise at the stated SNR (relative to the speech's power while it speaks).
/// Estimates reported with confidence >= 0.3 must be within 1 sample of the delay, all but at most 1.5 % of them (all
/// within 2 samples); where the estimate cannot be that accurate the confidence must fall below 0.3.
/// </summary>
/// <remarks>
/// Measured (coherence-weighted GCC, this test's seeds): 10 ms range 10 dB 1 of 1677 confident estimates beyond 1 sample
/// (1.91), 0 dB 5 of 437 (at most 1.76); 100 ms 10 dB 0 of 1397, 0 dB 2 of 531 (1.05); 300 ms and 1000 ms none (worst
/// 0.79 and 0.29 samples). Before (plain PHAT, 1024-sample minimum frame): 100 ms 10 dB 17 of 1611 beyond 1 sample,
/// one 4353 samples off; 0 dB 130 of 1088; 10 ms range 1374 of 6966 and 866 of 2124, up to 615 samples off.
/// </remarks>
public sealed class DelayEstimatorSpeechTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2);

    [Theory]
    [InlineData(10.0, 0.0)]
    [InlineData(10.0, 10.0)]
    [InlineData(100.0, 0.0)]
    [InlineData(100.0, 10.0)]
    [InlineData(300.0, 10.0)]
    [InlineData(1000.0, 0.0)]
    [InlineData(1000.0, 10.0)]
    public void ExtractData_SpeechWithNoise_ConfidentEstimatesWithinOneSample(double rangeMs, double snrDb)
    {
        var speech = SpeechSignal.RequireAt48k();
        var range = (int)(rangeMs * 48);
        var delays = new[] { -(range * 9) / 10, -range / 3, -7, 0, 1, range / 4, (range * 9) / 10 };
        var confident = 0;
        var total = 0;
        var worst = 0.0;
        var lines = new List<string>();
        foreach (var delay in delays)
        {
            var (estimates, count) = Run(speech, rangeMs, delay, snrDb, seed: delay + 17);
            total += count;
            foreach (var (samples, confidence) in estimates)
            {
                if (confidence >= 0.3)
                {
                    confident++;
                    var error = Math.Abs(samples - delay);
                    if (error > worst)
                    {
                        worst = error;
                    }

                    if (error > 1)
                    {
                        lines.Add(string.Create(CultureInfo.InvariantCulture, $"delay {delay}: {samples:F2} at confidence {confidence:F3}"));
                    }
                }
            }
        }

        YinPitchConfidenceTests.Report(string.Create(CultureInfo.InvariantCulture, $"speech delay, range {rangeMs} ms, {snrDb} dB: {confident} of {total} estimates at confidence >= 0.3, worst error {worst:F2} samples, {lines.Count} over 1 sample"));
        Assert.True(worst <= 2, $"worst error {worst:F2} samples: " + string.Join("; ", lines.Take(10)));
        Assert.True(lines.Count <= 0.015 * confident, $"{lines.Count} of {confident} confident estimates beyond 1 sample: " + string.Join("; ", lines.Take(10)));
        Assert.True(confident >= total / 20, $"only {confident} of {total} estimates at confidence >= 0.3");
    }

    /// <summary>Feeds speech + noise through a producer in 512-frame blocks; returns every estimate.</summary>
    private static (List<(double Samples, double Confidence)> Estimates, int Count) Run(float[] speech, double rangeMs, int delay, double snrDb, int seed)
    {
        var producer = new DelayEstimatorProducer(new DelayEstimatorOptions { MaxDelayMs = rangeMs });
        var random = new Random(seed);
        var noise = Math.Sqrt(ActivePower(speech) / Math.Pow(10, snrDb / 10));
        var margin = Math.Abs(delay);
        var length = speech.Length - (2 * margin);
        var block = new float[512 * 2];
        var estimates = new List<(double, double)>();
        for (var start = 0; start + 512 <= length; start += 512)
        {
            for (var i = 0; i < 512; i++)
            {
                var n = margin + start + i;
                block[2 * i] = (float)(speech[n] + (noise * YinPitchDetectorTests.Gaussian(random)));
                block[(2 * i) + 1] = (float)(speech[n - delay] + (noise * YinPitchDetectorTests.Gaussian(random)));
            }

            if (producer.ProcessBlock(new AudioBlock(block, Stereo48k, start)))
            {
                var data = Assert.IsType<DelayEstimatorData>(producer.ExtractData());
                estimates.Add((data.DelaySamples ?? double.NaN, data.Confidence));
            }
        }

        return (estimates, estimates.Count);
    }

    // Mean power over the 20 ms blocks within 30 dB of the loudest one (the speech while it speaks).
    internal static double ActivePower(float[] x)
    {
        const int block = 960;
        var powers = new List<double>();
        for (var at = 0; at + block <= x.Length; at += block)
        {
            var sum = 0.0;
            for (var i = at; i < at + block; i++)
            {
                sum += x[i] * (double)x[i];
            }

            powers.Add(sum / block);
        }

        var loudest = powers.Max();
        var active = powers.Where(p => p >= loudest / 1000).ToList();
        return active.Average();
    }
}
