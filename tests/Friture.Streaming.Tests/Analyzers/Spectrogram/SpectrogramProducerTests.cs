using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Tests.Analyzers.Spectrogram;

public sealed class SpectrogramProducerTests
{
    private const int Rate = 48000;
    private static readonly AudioFormat Mono = new(Rate, 1);

    public static TheoryData<FrequencyScale> AllScales() => new(Enum.GetValues<FrequencyScale>());

    [Theory]
    [MemberData(nameof(AllScales))]
    public void Columns_ExponentialSweep_LoudestBinFollowsInstantaneousFrequency(FrequencyScale scale)
    {
        const double f0 = 100, f1 = 16000, duration = 4;
        const int size = 2048;
        const int bins = 64;
        var producer = new SpectrogramProducer(new SpectrogramOptions { FftSize = size, Scale = scale, OutputBins = bins, MinFrequency = 50, MaxFrequency = 20000 });
        var feeder = new ProducerFeeder(producer, Mono);
        var k = Math.Log(f1 / f0);
        Func<long, int, float> sweep = (n, _) =>
        {
            var t = (double)n / Rate;
            return (float)(0.5 * Math.Sin(2 * Math.PI * f0 * duration / k * (Math.Exp(k * t / duration) - 1)));
        };

        var columns = 0;
        var previousBin = -1;
        var a = FrequencyScaleMapping.ToScale(scale, 50);
        var b = FrequencyScaleMapping.ToScale(scale, 20000);
        var binWidthOnScale = (b - a) / bins;
        while (feeder.Time < duration)
        {
            if (!feeder.FeedBlock(sweep))
            {
                continue;
            }

            var data = Assert.IsType<SpectrogramData>(producer.ExtractData());
            var centreTime = producer.ResultStreamTime!.Value - (size / 2.0 / Rate);
            var expected = f0 * Math.Exp(k * centreTime / duration);
            if (centreTime < 0.1 || expected > 19000)
            {
                continue;
            }

            var loudest = 0;
            for (var i = 1; i < bins; i++)
            {
                if (data.MagnitudesDb[i] > data.MagnitudesDb[loudest])
                {
                    loudest = i;
                }
            }

            var distance = Math.Abs(FrequencyScaleMapping.ToScale(scale, data.Frequencies[loudest]) - FrequencyScaleMapping.ToScale(scale, expected));
            // Allowed: one output bin, or the FFT's own resolution (2 FFT bins) where output bins are narrower than FFT bins.
            var fftResolution = FrequencyScaleMapping.ToScale(scale, expected + (2.0 * Rate / size)) - FrequencyScaleMapping.ToScale(scale, expected);
            Assert.True(distance <= Math.Max(binWidthOnScale, fftResolution), $"{scale}: at {centreTime:F3} s expected {expected:F0} Hz, loudest bin {data.Frequencies[loudest]:F0} Hz");
            Assert.True(loudest >= previousBin, "the sweep never moves down");
            previousBin = loudest;
            columns++;
        }

        Assert.True(columns > 100, $"only {columns} columns");
        Assert.True(previousBin > bins / 2);
    }

    [Fact]
    public void ExtractData_FullScaleSineOnBinCentre_LoudestBinReads0Dbfs()
    {
        const int size = 4096;
        var frequency = 100 * (double)Rate / size;
        var producer = new SpectrogramProducer(new SpectrogramOptions { FftSize = size, Scale = FrequencyScale.Linear, OutputBins = 256, Window = WindowType.BlackmanHarris });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.3, ProducerFeeder.Sine(frequency, 1.0, Rate));
        var data = (SpectrogramData)producer.ExtractData()!;
        var max = float.MinValue;
        foreach (var v in data.MagnitudesDb)
        {
            max = Math.Max(max, v);
        }

        Assert.InRange(max, -0.05f, 0.05f);
        Assert.Equal(256, data.Frequencies.Length);
        Assert.Equal("linear", data.FrequencyScale);
        Assert.Equal(24000, data.MaxFrequency);
    }

    [Theory]
    [InlineData(FrequencyScale.Mel, 1000, 1000.0)]
    [InlineData(FrequencyScale.Erb, 1000, 15.5704)]
    [InlineData(FrequencyScale.Octave, 4000, 2.0)]
    [InlineData(FrequencyScale.Logarithmic, 100, 2.0)]
    public void FrequencyScaleMapping_KnownValues_RoundTrip(FrequencyScale scale, double frequency, double expected)
    {
        var v = FrequencyScaleMapping.ToScale(scale, frequency);
        Assert.Equal(expected, v, 0.05);
        Assert.Equal(frequency, FrequencyScaleMapping.FromScale(scale, v), 1e-6);
    }

    [Fact]
    public void Constructor_InvalidOutputBins_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SpectrogramProducer(new SpectrogramOptions { OutputBins = 4 }));
        Assert.Equal(nameof(SpectrogramOptions.OutputBins), ex.ParamName);
        Assert.Contains("between 8 and 8192", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4096, 0.75)]
    [InlineData(256, 0.5)]
    public void ProcessBlock_SteadyState_AllocatesNothing(int size, double overlap)
    {
        var producer = new SpectrogramProducer(new SpectrogramOptions { FftSize = size, Overlap = overlap, Scale = FrequencyScale.Mel });
        ProducerFeeder.AssertProcessBlockAllocatesNothing(producer, new AudioFormat(Rate, 2));
    }
}
