using Friture.Streaming.Dsp.Fft;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Tests.Dsp.Windows;

public sealed class WindowTests
{
    public static TheoryData<WindowType> AllWindows() => new(Enum.GetValues<WindowType>());

    [Theory]
    [InlineData(WindowType.Rectangular, 1.0)]
    [InlineData(WindowType.Hann, 0.5)]
    [InlineData(WindowType.Hamming, 0.54)]
    [InlineData(WindowType.Blackman, 0.42)]
    [InlineData(WindowType.BlackmanHarris, 0.35875)]
    [InlineData(WindowType.FlatTop, 0.21557895)]
    public void CoherentGain_CosineSumWindow_EqualsConstantTerm(WindowType type, double expected)
    {
        // For a periodic cosine-sum window the mean over one period is exactly the a0 coefficient.
        var w = Window.Create(type, 1024);
        Assert.Equal(expected, Window.CoherentGain(w), 1e-6);
    }

    [Fact]
    public void Create_Hann_IsZeroAtStartAndOneAtCentre()
    {
        var w = Window.Create(WindowType.Hann, 64);
        Assert.Equal(0f, w[0], 1e-7f);
        Assert.Equal(1f, w[32], 1e-7f);
        Assert.Equal(0.5f, w[16], 1e-6f);
    }

    [Fact]
    public void Create_KaiserBetaZero_IsRectangular()
    {
        var w = Window.Create(WindowType.Kaiser, 128, kaiserBeta: 0);
        Assert.All(w, v => Assert.Equal(1f, v, 1e-6f));
    }

    [Fact]
    public void Create_Kaiser_MatchesBesselDefinition()
    {
        // I0(x) known values: I0(1) = 1.2660658777520082, I0(5) = 27.239871823604442.
        Assert.Equal(1.2660658777520082, Window.BesselI0(1), 1e-12);
        Assert.Equal(27.239871823604442, Window.BesselI0(5), 1e-9);
        var w = Window.Create(WindowType.Kaiser, 64, kaiserBeta: 5);
        Assert.Equal(1f, w[32], 1e-6f);
        Assert.Equal(1 / 27.239871823604442, w[0], 1e-6);
    }

    [Fact]
    public void Fill_BetaOutOfRange_ThrowsNamingTheRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Window.Create(WindowType.Kaiser, 16, kaiserBeta: 60));
        Assert.Contains("between 0 and 50", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllWindows))]
    public void CalibratedSpectrum_FullScaleSineOnBinCentre_Reads0DbfsWithin005Db(WindowType type)
    {
        const int size = 4096;
        var w = Window.Create(type, size);
        var fft = new RealFft(size);
        var re = new float[fft.BinCount];
        var im = new float[fft.BinCount];
        var frame = new float[size];
        foreach (var bin in new[] { 37, 410, 1500 })
        {
            for (var n = 0; n < size; n++)
            {
                frame[n] = (float)Math.Sin((2 * Math.PI * bin * n / size) + 0.3);
            }

            Window.Apply(frame, w, frame);
            fft.Forward(frame, re, im);
            var amplitude = 2 * Math.Sqrt((re[bin] * re[bin]) + (im[bin] * im[bin])) / (size * Window.CoherentGain(w));
            Assert.InRange(20 * Math.Log10(amplitude), -0.05, 0.05);
        }
    }
}
