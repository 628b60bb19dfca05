using Friture.Streaming.Analyzers.OctaveSpectrum;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Analyzers.OctaveSpectrum;

public sealed class OctaveSpectrumProducerTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2);

    [Theory]
    [InlineData(1000.0)]
    [InlineData(125.0)]
    [InlineData(10000.0)]
    public void ExtractData_FullScaleSineAtBandCentre_ReadsMinus301DbInThatBand(double nominal)
    {
        var producer = new OctaveSpectrumProducer(new OctaveSpectrumOptions { ResponseTime = 0.125 });
        var exact = 1000 * Math.Pow(10, Math.Round(10 * Math.Log10(nominal / 1000)) / 10);
        Feed(producer, Stereo48k, 3.0, (n, ch) => ch == 0 ? Math.Sin(2 * Math.PI * exact * n / 48000) : 0);
        var data = Assert.IsType<OctaveSpectrumData>(producer.ExtractData());
        var band = IndexOfNearest(data.CenterFrequencies, exact);

        // 0.03 dB: filter gain at the mid-band frequency (within 0.02 dB) plus the ripple of the 125 ms average.
        Assert.Equal(-3.01, data.BandEnergiesDb[band], 0.03);
        // The overall level sums band powers, so the neighbouring bands' skirts (about -17 dB each at this frequency)
        // add about 0.13 dB.
        Assert.InRange(data.OverallLevel, -3.01, -2.8);
        Assert.True(data.BandEnergiesDb[band - 2] < -40, "two bands below is attenuated by more than 37 dB");
        Assert.Equal(3, data.BandsPerOctave);
        Assert.Equal("none", data.Weighting);
    }

    [Fact]
    public void ExtractData_AWeighting_AppliesIecGainAtMidBand()
    {
        var options = new OctaveSpectrumOptions { Weighting = FrequencyWeighting.A, ResponseTime = 0.125 };
        var producer = new OctaveSpectrumProducer(options);
        var exact = 1000 * Math.Pow(10, -1.0); // 100 Hz band: A = -19.1 dB
        Feed(producer, Stereo48k, 3.0, (n, ch) => Math.Sin(2 * Math.PI * exact * n / 48000));
        var data = Assert.IsType<OctaveSpectrumData>(producer.ExtractData());
        var band = IndexOfNearest(data.CenterFrequencies, exact);
        Assert.Equal(-3.01 - 19.1, data.BandEnergiesDb[band], 0.1);
        Assert.Equal("A", data.Weighting);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(3, 31)]
    [InlineData(6, 60)]
    [InlineData(12, 120)]
    [InlineData(24, 240)]
    public void Initialize_BandsPerOctave_BandCountFrom20HzTo20kHz(int bandsPerOctave, int expected)
    {
        var producer = new OctaveSpectrumProducer(new OctaveSpectrumOptions { BandsPerOctave = bandsPerOctave });
        Feed(producer, Stereo48k, 0.02, static (_, _) => 0);
        var data = Assert.IsType<OctaveSpectrumData>(producer.ExtractData());
        Assert.InRange(data.CenterFrequencies.Length, expected - 1, expected + 1);
        Assert.Equal(data.CenterFrequencies.Length, data.BandLabels.Length);
        Assert.Equal(Decibels.Floor, data.BandEnergiesDb[0]);
    }

    [Fact]
    public void ProcessBlock_SteadyState_AllocatesNothing()
    {
        var producer = new OctaveSpectrumProducer(new OctaveSpectrumOptions { BandsPerOctave = 24 });
        var samples = new float[512 * 2];
        var random = new Random(7);
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

        Allocations.AssertSteadyStateAllocatesNothing(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                producer.ProcessBlock(new AudioBlock(samples, Stereo48k, frame));
                frame += 512;
            }
        });
    }

    [Theory]
    [InlineData(2, 1.0)]
    [InlineData(3, 0.01)]
    [InlineData(3, 6.0)]
    public void Constructor_OutOfRangeOption_ThrowsNamingTheOption(int bandsPerOctave, double responseTime)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new OctaveSpectrumProducer(new OctaveSpectrumOptions { BandsPerOctave = bandsPerOctave, ResponseTime = responseTime }));
        Assert.Contains(bandsPerOctave == 2 ? "BandsPerOctave is 2" : "ResponseTime is", ex.Message, StringComparison.Ordinal);
    }

    internal static int IndexOfNearest(System.Collections.Immutable.ImmutableArray<float> values, double target)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (Math.Abs(values[i] - target) < Math.Abs(values[best] - target))
            {
                best = i;
            }
        }

        return best;
    }

    internal static void Feed(Friture.Streaming.Producers.DataProducer producer, AudioFormat format, double seconds, Func<long, int, double> sample)
    {
        var frames = 512;
        var block = new float[frames * format.Channels];
        var total = (long)(seconds * format.SampleRate);
        for (long start = 0; start < total; start += frames)
        {
            for (var i = 0; i < frames; i++)
            {
                for (var c = 0; c < format.Channels; c++)
                {
                    block[(i * format.Channels) + c] = (float)sample(start + i, c);
                }
            }

            producer.ProcessBlock(new AudioBlock(block, format, start));
        }
    }
}
