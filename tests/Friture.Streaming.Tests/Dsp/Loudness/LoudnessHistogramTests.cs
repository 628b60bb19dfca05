using Friture.Streaming.Dsp.Loudness;

namespace Friture.Streaming.Tests.Dsp.Loudness;

public sealed class LoudnessHistogramTests
{
    [Fact]
    public void GatedMeanEnergy_RandomBlocks_EqualsExactGatingWithin001Lu()
    {
        var random = new Random(11);
        var histogram = new LoudnessHistogram();
        var blocks = new List<double>();
        for (var i = 0; i < 5000; i++)
        {
            var lufs = -80 + (random.NextDouble() * 75);
            var energy = LoudnessHistogram.LoudnessToEnergy(lufs);
            histogram.Add(energy);
            if (lufs >= -70)
            {
                blocks.Add(energy);
            }
        }

        // BS.1770-4 gating done the plain way: absolute gate, mean, relative gate at -10 LU, mean of what passes.
        var gate = blocks.Average() * 0.1;
        var expected = LoudnessHistogram.EnergyToLoudness(blocks.Where(e => e >= gate).Average());
        Assert.Equal(blocks.Count, histogram.Count);
        Assert.Equal(expected, LoudnessHistogram.EnergyToLoudness(histogram.GatedMeanEnergy(-10)), 0.01);
    }

    [Fact]
    public void TryPercentiles_RandomBlocks_EqualSortedRanksWithin001Lu()
    {
        var random = new Random(12);
        var histogram = new LoudnessHistogram();
        var loudness = new List<double>();
        for (var i = 0; i < 3000; i++)
        {
            var lufs = -60 + (random.NextDouble() * 50);
            histogram.Add(LoudnessHistogram.LoudnessToEnergy(lufs));
            loudness.Add(lufs);
        }

        var gate = LoudnessHistogram.EnergyToLoudness(loudness.Select(LoudnessHistogram.LoudnessToEnergy).Average()) - 20;
        var passed = loudness.Where(l => l >= gate).OrderBy(l => l).ToList();
        var low = passed[(int)(((passed.Count - 1) * 0.10) + 0.5)];
        var high = passed[(int)(((passed.Count - 1) * 0.95) + 0.5)];
        Assert.True(histogram.TryPercentiles(-20, out var histogramLow, out var histogramHigh));
        Assert.Equal(low, histogramLow, 0.01);
        Assert.Equal(high, histogramHigh, 0.01);
    }

    [Fact]
    public void Empty_OrOnlyBelowAbsoluteGate_HasNoResult()
    {
        var histogram = new LoudnessHistogram();
        Assert.Equal(0, histogram.GatedMeanEnergy(-10));
        histogram.Add(LoudnessHistogram.LoudnessToEnergy(-71));
        histogram.Add(0);
        Assert.Equal(0, histogram.Count);
        Assert.False(histogram.TryPercentiles(-20, out _, out _));
    }
}
