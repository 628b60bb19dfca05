using System.Globalization;
using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Tests.Dsp.Pitch;

namespace Friture.Streaming.Tests.Analyzers.DelayEstimator;

/// <summary>
/// The delay estimator on speech (espeak-ng, resampled to 48 kHz): channel 2 is the speech delayed by a whole number of
/// samples, each channel gets its own white noise at the stated SNR (relative to the speech's power while it speaks).
/// Every estimate reported with confidence >= 0.3 must be within 1 sample of the delay (issue 14); where the estimate
/// cannot be that accurate the confidence must fall below 0.3. Ranges 10, 100, 300 and 1000 ms (the default).
/// </summary>
/// <remarks>
/// <para>
/// Measured (this test's seeds; share of estimates at confidence >= 0.3, worst error among them): 10 ms 0 dB 1.5 %,
/// 0.75 samples; 10 ms 10 dB 34.9 %, 0.68; 100 ms 0 dB 10.9 %, 0.94; 100 ms 10 dB 66.9 %, 0.82; 300 ms 0 dB 9.2 %, 0.97;
/// 300 ms 10 dB 86.4 %, 0.71; 1000 ms 0 dB 94.5 %, 0.29; 1000 ms 10 dB 94.5 %, 0.16. In all 4,149 of 14,746 estimates
/// (28.1 %) are confident, none more than 1 sample off. With a second noise seed per delay too, none of 29,492 speech
/// estimates was confident and more than 1 sample off; the most confident of those more than 1 sample off read 0.22.
/// </para>
/// <para>
/// Before (the margins taken at face value, not rescaled below 0.5): 8 of 4,978 confident estimates 1.0 to 1.9 samples
/// off (10 ms 0 dB 5, 10 ms 10 dB 1 at speech onset, 100 ms 0 dB 2), at confidence 0.30 to 0.39; 5,246 of 14,746
/// (35.6 %) confident counting the 300 ms 0 dB case (added since; the second seed put one of its confident estimates
/// 1.09 samples off). Shares confident then, in the order above: 9.5, 36.5, 27.2, 71.6, 41.9, 91.6, 95.6 and 95.6 %.
/// Before that (plain PHAT, 1024-sample minimum frame): 100 ms 10 dB 17 of 1611 beyond 1 sample, one 4353 samples off;
/// 10 ms range 1374 of 6966, up to 615 samples off.
/// </para>
/// </remarks>
public sealed class DelayEstimatorSpeechTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2);

    // The last argument is the least share of estimates that must stay confident: about half of what was measured, so
    // that a confidence made useless by a later change fails too.
    [Theory]
    [InlineData(10.0, 0.0, 0.008)]
    [InlineData(10.0, 10.0, 0.17)]
    [InlineData(100.0, 0.0, 0.06)]
    [InlineData(100.0, 10.0, 0.33)]
    [InlineData(300.0, 0.0, 0.045)]
    [InlineData(300.0, 10.0, 0.45)]
    [InlineData(1000.0, 0.0, 0.45)]
    [InlineData(1000.0, 10.0, 0.45)]
    public void ExtractData_SpeechWithNoise_ConfidentEstimatesWithinOneSample(double rangeMs, double snrDb, double minConfidentShare)
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
        Assert.True(lines.Count == 0, $"{lines.Count} of {confident} confident estimates beyond 1 sample: " + string.Join("; ", lines.Take(10)));
        Assert.True(confident >= minConfidentShare * total, $"only {confident} of {total} estimates at confidence >= 0.3 (at least {minConfidentShare:P1} expected)");
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
