using Friture.Streaming.Dsp.Loudness;

namespace Friture.Streaming.Tests.Dsp.Loudness;

public sealed class KWeightingTests
{
    [Fact]
    public void Design_At48kHz_ReproducesBs1770Table1And2Within1e8()
    {
        // ITU-R BS.1770-4, tables 1 and 2 (the only rate the standard publishes).
        var shelf = KWeighting.Shelf(48000);
        Assert.Equal(1.53512485958697, shelf.B0, 1e-8);
        Assert.Equal(-2.69169618940638, shelf.B1, 1e-8);
        Assert.Equal(1.19839281085285, shelf.B2, 1e-8);
        Assert.Equal(-1.69065929318241, shelf.A1, 1e-8);
        Assert.Equal(0.73248077421585, shelf.A2, 1e-8);
        var highPass = KWeighting.HighPass(48000);
        Assert.Equal((1.0, -2.0, 1.0), (highPass.B0, highPass.B1, highPass.B2));
        Assert.Equal(-1.99004745483398, highPass.A1, 1e-8);
        Assert.Equal(0.99007225036621, highPass.A2, 1e-8);
    }

    [Theory]
    [InlineData(8000, 0.21)]
    [InlineData(16000, 0.07)]
    [InlineData(22050, 0.03)]
    [InlineData(32000, 0.011)]
    [InlineData(44100, 0.002)]
    [InlineData(88200, 0.007)]
    [InlineData(96000, 0.007)]
    [InlineData(192000, 0.008)]
    public void GainDb_AnyRate_MatchesThe48kHzCurveOfTheStandard(int rate, double tolerance)
    {
        // Designed from the analog prototype, the response is the standard's curve at every rate, up to the bilinear
        // warping of the shelf, which grows as its 1.68 kHz centre nears Nyquist (measured tolerances).
        foreach (var f in new[] { 20.0, 31.5, 50, 100, 200, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 10000, 16000, 20000 })
        {
            if (f >= rate * 0.4)
            {
                continue;
            }

            var difference = KWeighting.GainDb(f, rate) - KWeighting.GainDb(f, 48000);
            Assert.True(Math.Abs(difference) <= tolerance, $"{f} Hz at {rate} Hz: {difference:F4} dB");
        }
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void GainDb_KnownPoints_OfTheKCurve(int rate)
    {
        // 1 kHz: +0.698 dB (the standard's 48 kHz filter; with the -0.691 of the loudness formula a -23 dBFS stereo
        // sine reads -22.993 LUFS); the shelf's +4 dB above 5 kHz; the RLB high-pass (two poles near 38 Hz) about
        // -1.2 dB at 100 Hz, -3.9 dB at 50 Hz and more than 8 dB down at 20 Hz.
        Assert.Equal(0.698, KWeighting.GainDb(1000, rate), 0.005);
        Assert.Equal(4.0, KWeighting.GainDb(10000, rate), 0.1);
        Assert.InRange(KWeighting.GainDb(100, rate), -1.4, -1.0);
        Assert.InRange(KWeighting.GainDb(50, rate), -4.2, -3.6);
        Assert.True(KWeighting.GainDb(20, rate) < -8);
    }
}
