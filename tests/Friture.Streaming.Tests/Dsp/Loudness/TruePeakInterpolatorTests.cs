using Friture.Streaming.Dsp.Loudness;

namespace Friture.Streaming.Tests.Dsp.Loudness;

public sealed class TruePeakInterpolatorTests
{
    [Theory]
    [InlineData(8000, 16)]
    [InlineData(16000, 12)]
    [InlineData(22050, 8)]
    [InlineData(32000, 6)]
    [InlineData(44100, 4)]
    [InlineData(48000, 4)]
    [InlineData(96000, 4)]
    [InlineData(192000, 4)]
    public void FactorFor_Rate_AtLeast4AndAtLeast176kHz(int rate, int factor) =>
        Assert.Equal(factor, TruePeakInterpolator.FactorFor(rate));

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void Phases_OneIsAPureDelayAndAllHaveUnityDcGain(int rate)
    {
        var interpolator = new TruePeakInterpolator(rate, 1, 512);
        var identities = 0;
        for (var p = 0; p < interpolator.Factor; p++)
        {
            var taps = interpolator.Phase(p);
            var sum = 0.0;
            var ones = 0;
            foreach (var tap in taps)
            {
                sum += tap;
                ones += Math.Abs(tap - 1) < 1e-6 ? 1 : 0;
            }

            Assert.Equal(1.0, sum, 1e-5);
            identities += ones;
        }

        Assert.Equal(1, identities);
    }

    [Theory]
    [InlineData(48000, 12000.0, 45.0)]
    [InlineData(44100, 11025.0, 45.0)]
    [InlineData(96000, 24000.0, 45.0)]
    [InlineData(48000, 997.0, 10.0)]
    [InlineData(48000, 5000.0, 33.0)]
    [InlineData(48000, 15000.0, 71.0)]
    [InlineData(44100, 17000.0, 13.0)]
    [InlineData(22050, 5000.0, 21.0)]
    public void Process_SineBetweenSamples_FindsItsContinuousPeakWithin01Db(int rate, double frequency, double phaseDegrees)
    {
        // The fs/4 sines at 45 degrees are the classic case: every sample sits at 0.707 of the crest, so the sample peak
        // reads 3 dB low and only interpolation finds the true peak.
        var amplitude = 0.5;
        var signal = LoudnessSignals.Sine(rate, 1, 1.0, frequency, 20 * Math.Log10(amplitude), phaseDegrees * Math.PI / 180);
        var interpolator = new TruePeakInterpolator(rate, 1, 1024);
        var peak = 0f;
        for (var start = 0; start < signal.Length; start += 1000)
        {
            // The abrupt start of a high sine rings in any band-limited reconstruction (Gibbs): skip the first chunk.
            var count = Math.Min(1000, signal.Length - start);
            var chunkPeak = interpolator.Process(signal.AsSpan(start, count), 0, 1, count);
            peak = start == 0 ? peak : Math.Max(peak, chunkPeak);
        }

        Assert.Equal(20 * Math.Log10(amplitude), 20 * Math.Log10(peak), 0.1);
    }

    [Fact]
    public void Process_OddChunkSizesAndChannels_SameAsOneRun()
    {
        var random = new Random(3);
        var signal = new float[2 * 5000];
        for (var i = 0; i < signal.Length; i++)
        {
            signal[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var whole = new TruePeakInterpolator(48000, 2, 5000);
        var wholePeak = whole.Process(signal, 1, 2, 5000);
        var pieces = new TruePeakInterpolator(48000, 2, 5000);
        var piecesPeak = 0f;
        for (int start = 0, size = 1; start < 5000; start += size, size = (size * 3) + 1)
        {
            var count = Math.Min(size, 5000 - start);
            piecesPeak = Math.Max(piecesPeak, pieces.Process(signal.AsSpan(2 * start, 2 * count), 1, 2, count));
        }

        Assert.Equal(wholePeak, piecesPeak, 1e-6f);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(31)]
    [InlineData(200)]
    public void Skip_ThenProcess_SameAsProcessingEverything(int skipped)
    {
        var random = new Random(skipped);
        var signal = new float[2 * 600];
        for (var i = 0; i < signal.Length; i++)
        {
            signal[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var all = new TruePeakInterpolator(48000, 2, 600);
        all.Process(signal, 0, 2, skipped);
        var expected = all.Process(signal.AsSpan(2 * skipped), 0, 2, 100);
        var skipping = new TruePeakInterpolator(48000, 2, 600);
        skipping.Process(signal, 0, 2, 0);
        skipping.Skip(signal, 0, 2, skipped);
        Assert.Equal(expected, skipping.Process(signal.AsSpan(2 * skipped), 0, 2, 100));
        Assert.InRange(skipping.MaxGain, 1.0f, 3.0f);
    }
}
