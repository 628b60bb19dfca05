using Friture.Streaming.Analyzers;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Tests.Analyzers.FftSpectrum;

public sealed class FftSpectrumProducerTests
{
    private const int Rate = 48000;
    private static readonly AudioFormat Mono = new(Rate, 1);

    public static TheoryData<WindowType> AllWindows() => new(Enum.GetValues<WindowType>());

    [Theory]
    [MemberData(nameof(AllWindows))]
    public void ExtractData_FullScaleSineOnBinCentre_Reads0DbfsWithin005Db(WindowType window)
    {
        const int size = 4096;
        const int bin = 171;
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = size, Window = window, ResponseTime = 0 });
        var feeder = new ProducerFeeder(producer, Mono);
        var frequency = bin * (double)Rate / size;
        Assert.True(feeder.Feed(0.3, ProducerFeeder.Sine(frequency, 1.0, Rate)));
        var data = Assert.IsType<FftSpectrumData>(producer.ExtractData());

        Assert.Equal(size / 2 + 1, data.MagnitudesDb.Length);
        Assert.InRange(data.MagnitudesDb[bin], -0.05f, 0.05f);
        Assert.InRange(data.MagnitudesLinear[bin], 0.994f, 1.006f);
        Assert.Equal(frequency, data.Frequencies[bin], 1e-3);
        Assert.Equal(frequency, Assert.NotNull(data.PeakFrequency), 0.01 * Rate / size);
        Assert.InRange(Assert.NotNull(data.PeakMagnitude), -0.05, 0.05);
        Assert.Equal(FftSpectrumProducer.WindowName(window), data.WindowType);
    }

    [Theory]
    [InlineData(1000.0, -6.0)]
    [InlineData(440.0, 0.0)]
    [InlineData(7777.7, -20.0)]
    public void ExtractData_SineBetweenBins_PeakFrequencyWithinTwentiethOfABin(double frequency, double levelDb)
    {
        const int size = 8192;
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = size, ResponseTime = 0 });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.5, ProducerFeeder.Sine(frequency, Math.Pow(10, levelDb / 20), Rate));
        var data = Assert.IsType<FftSpectrumData>(producer.ExtractData());

        var binWidth = (double)Rate / size;
        Assert.InRange(Assert.NotNull(data.PeakFrequency), frequency - (0.05 * binWidth), frequency + (0.05 * binWidth));

        // The window's scalloping loss (up to 1.42 dB for Hann) is corrected at the interpolated offset, to within 0.1 dB.
        Assert.InRange(Assert.NotNull(data.PeakMagnitude), levelDb - 0.1, levelDb + 0.1);
    }

    [Theory]
    [InlineData(1.0, 1024, 0.5)]
    [InlineData(0.125, 256, 0.5)]
    [InlineData(0.3, 512, 0.75)]
    public void ExtractData_SineSwitchedOn_PowerRisesWithConfiguredTimeConstantWithin5Percent(double tau, int size, double overlap)
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = size, Overlap = overlap, ResponseTime = tau, Window = WindowType.Hann });
        var feeder = new ProducerFeeder(producer, Mono, blockFrames: 64);
        const int bin = 16;
        var frequency = bin * (double)Rate / size;
        feeder.Feed(0.5, (_, _) => 0f);
        var stepFrame = feeder.FramePosition;
        var sine = ProducerFeeder.Sine(frequency, 1.0, Rate);

        // The frame's centre crosses the step half a frame after the step reaches its end.
        var t0 = (stepFrame + (size / 2.0)) / Rate;
        double previousTime = 0, previousPower = 0, crossing = double.NaN;
        while (feeder.Time < t0 + (3 * tau) && double.IsNaN(crossing))
        {
            if (feeder.FeedBlock(sine))
            {
                var data = (FftSpectrumData)producer.ExtractData()!;
                var power = data.MagnitudesLinear[bin] * (double)data.MagnitudesLinear[bin];
                var time = producer.ResultStreamTime!.Value;
                if (power >= 1 - Math.Exp(-1))
                {
                    crossing = previousTime + ((time - previousTime) * ((1 - Math.Exp(-1) - previousPower) / (power - previousPower)));
                }

                previousTime = time;
                previousPower = power;
            }
        }

        Assert.InRange(crossing - t0, 0.95 * tau, 1.05 * tau);
    }

    [Fact]
    public void ExtractData_AWeighting_100HzReadsStandardAttenuation()
    {
        const int size = 8192;
        var bin = (int)Math.Round(100.0 * size / Rate);
        var frequency = bin * (double)Rate / size;
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = size, Weighting = FrequencyWeighting.A, ResponseTime = 0 });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.5, ProducerFeeder.Sine(frequency, 1.0, Rate));
        var data = (FftSpectrumData)producer.ExtractData()!;
        Assert.Equal(WeightingCurves.GainDb(FrequencyWeighting.A, frequency), data.MagnitudesDb[bin], 0.05);
        Assert.InRange(data.MagnitudesDb[bin], -19.6, -18.6);
        Assert.Equal("A", data.Weighting);
    }

    [Theory]
    [InlineData(FrequencyWeighting.A, 31.5, 8192, WindowType.Hann)]
    [InlineData(FrequencyWeighting.A, 20.0, 16384, WindowType.Hann)]
    [InlineData(FrequencyWeighting.A, 63.7, 4096, WindowType.BlackmanHarris)]
    [InlineData(FrequencyWeighting.A, 1000.3, 8192, WindowType.Hann)]
    [InlineData(FrequencyWeighting.A, 15123.0, 8192, WindowType.Hamming)]
    [InlineData(FrequencyWeighting.B, 40.0, 8192, WindowType.Hann)]
    [InlineData(FrequencyWeighting.C, 31.5, 8192, WindowType.FlatTop)]
    [InlineData(FrequencyWeighting.Z, 31.5, 8192, WindowType.FlatTop)]
    [InlineData(FrequencyWeighting.Z, 31.5, 8192, WindowType.Hann)]
    [InlineData(FrequencyWeighting.C, 19000.0, 4096, WindowType.Hann)]
    public void ExtractData_WeightedSpectrum_PeakOnUnweightedWithin005BinAndWeightedLevelWithin01Db(FrequencyWeighting weighting, double frequency, int size, WindowType window)
    {
        // Before the peak was refined on the unweighted spectrum, A-weighted 31.5 Hz (8192 points, Hann) read
        // 33.1 Hz and -38.7 dB instead of 31.5 Hz and -39.5 dB.
        const double levelDb = -6.0;
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = size, Window = window, Weighting = weighting, ResponseTime = 0 });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.1 + (2.0 * size / Rate), ProducerFeeder.Sine(frequency, Math.Pow(10, levelDb / 20), Rate));
        var data = Assert.IsType<FftSpectrumData>(producer.ExtractData());

        var binWidth = (double)Rate / size;
        var expected = levelDb + WeightingCurves.GainDb(weighting, frequency);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{weighting} {frequency} Hz: peak {data.PeakFrequency:F3} Hz ({(data.PeakFrequency - frequency) / binWidth:F4} bin), {data.PeakMagnitude:F3} dB, expected {expected:F3} dB");
        Assert.InRange(data.PeakFrequency!.Value, frequency - (0.05 * binWidth), frequency + (0.05 * binWidth));
        Assert.InRange(data.PeakMagnitude!.Value, expected - 0.1, expected + 0.1);
    }

    [Fact]
    public void ExtractData_AWeightedToneOverStrongRumble_PeakIsTheToneNotTheRumble()
    {
        // 10 Hz rumble 30 dB above a 1 kHz tone: A weighting takes 70 dB off the rumble, so the weighted peak is the tone.
        const int size = 8192;
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = size, Weighting = FrequencyWeighting.A, ResponseTime = 0 });
        var feeder = new ProducerFeeder(producer, Mono);
        var tone = ProducerFeeder.Sine(1000.3, 0.02, Rate);
        var rumble = ProducerFeeder.Sine(10.0, 0.63, Rate);
        feeder.Feed(0.5, (frame, channel) => tone(frame, channel) + rumble(frame, channel));
        var data = Assert.IsType<FftSpectrumData>(producer.ExtractData());

        var binWidth = (double)Rate / size;
        Assert.InRange(data.PeakFrequency!.Value, 1000.3 - (0.05 * binWidth), 1000.3 + (0.05 * binWidth));
        var expected = (20 * Math.Log10(0.02)) + WeightingCurves.GainDb(FrequencyWeighting.A, 1000.3);
        Assert.InRange(data.PeakMagnitude!.Value, expected - 0.1, expected + 0.1);
    }

    [Fact]
    public void ExtractData_IncludePhases_GivesSinePhaseAtItsBin()
    {
        const int size = 1024;
        const int bin = 64;
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = size, Overlap = 0, IncludePhases = true, ResponseTime = 0 });
        var feeder = new ProducerFeeder(producer, Mono, blockFrames: size);

        // cos(w n + phi) = sin(w n + phi + pi/2); a frame starting at a multiple of the period sees phase phi.
        var phi = 0.7;
        feeder.FeedBlock(ProducerFeeder.Sine(bin * (double)Rate / size, 0.5, Rate, phase: phi + (Math.PI / 2)));
        var data = (FftSpectrumData)producer.ExtractData()!;
        Assert.NotNull(data.Phases);
        Assert.Equal(phi, data.Phases!.Value[bin], 1e-3);
    }

    [Fact]
    public void ExtractData_NoPhasesRequested_PhasesNull()
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 256 });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.1, ProducerFeeder.Sine(1000, 0.5, Rate));
        Assert.Null(((FftSpectrumData)producer.ExtractData()!).Phases);
    }

    [Theory]
    [InlineData(SpectrumPointSpacing.Logarithmic)]
    [InlineData(SpectrumPointSpacing.Linear)]
    public void ExtractData_MaxPoints_ReducesAndKeepsTonePeak(SpectrumPointSpacing spacing)
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 8192, MaxPoints = 200, PointSpacing = spacing, Window = WindowType.FlatTop });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.5, ProducerFeeder.Sine(1000, 0.5, Rate));
        var data = (FftSpectrumData)producer.ExtractData()!;

        Assert.Equal(200, data.Frequencies.Length);
        Assert.Equal(200, data.MagnitudesDb.Length);
        Assert.InRange(data.Frequencies[0], 20f, 80f);
        Assert.InRange(data.Frequencies[^1], 19000f, 20000f);
        for (var i = 1; i < data.Frequencies.Length; i++)
        {
            Assert.True(data.Frequencies[i] > data.Frequencies[i - 1]);
        }

        var loudest = 0;
        for (var i = 1; i < data.MagnitudesDb.Length; i++)
        {
            if (data.MagnitudesDb[i] > data.MagnitudesDb[loudest])
            {
                loudest = i;
            }
        }

        Assert.InRange(data.MagnitudesDb[loudest], -6.03f, -6.0f + 0.03f);
        var ratio = data.Frequencies[loudest] / 1000.0;
        Assert.InRange(ratio, spacing == SpectrumPointSpacing.Linear ? 0.95 : 0.97, spacing == SpectrumPointSpacing.Linear ? 1.05 : 1.03);
    }

    [Fact]
    public void ExtractData_Channel2Selected_AnalysesOnlyChannel2()
    {
        var options = new FftSpectrumOptions { FftSize = 1024, Channel = ChannelSelection.FromChannel(2), ResponseTime = 0 };
        var producer = new FftSpectrumProducer(options);
        var feeder = new ProducerFeeder(producer, new AudioFormat(Rate, 2));
        const int bin = 32;
        feeder.Feed(0.2, ProducerFeeder.Sine(bin * (double)Rate / 1024, 1.0, Rate, channel: 1));
        var data = (FftSpectrumData)producer.ExtractData()!;
        Assert.InRange(data.MagnitudesDb[bin], -0.05f, 0.05f);

        var first = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 1024 });
        var feeder1 = new ProducerFeeder(first, new AudioFormat(Rate, 2));
        feeder1.Feed(0.2, ProducerFeeder.Sine(bin * (double)Rate / 1024, 1.0, Rate, channel: 1));
        Assert.Equal(Decibels.Floor, ((FftSpectrumData)first.ExtractData()!).MagnitudesDb[bin]);
    }

    [Fact]
    public void Initialize_ChannelBeyondInput_ThrowsNamingChannel()
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { Channel = ChannelSelection.FromChannel(3) });
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ProducerFeeder(producer, new AudioFormat(Rate, 2)));
        Assert.Contains("Channel", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(FftSpectrumOptions.FftSize), 1000)]
    [InlineData(nameof(FftSpectrumOptions.FftSize), 32768)]
    [InlineData(nameof(FftSpectrumOptions.Overlap), 1.0)]
    [InlineData(nameof(FftSpectrumOptions.ResponseTime), -1.0)]
    [InlineData(nameof(FftSpectrumOptions.MaxPoints), -5)]
    public void Constructor_InvalidOption_ThrowsNamingOptionAndValue(string option, double value)
    {
        var options = new FftSpectrumOptions();
        switch (option)
        {
            case nameof(FftSpectrumOptions.FftSize): options.FftSize = (int)value; break;
            case nameof(FftSpectrumOptions.Overlap): options.Overlap = value; break;
            case nameof(FftSpectrumOptions.ResponseTime): options.ResponseTime = value; break;
            default: options.MaxPoints = (int)value; break;
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FftSpectrumProducer(options));
        Assert.Equal(option, ex.ParamName);
        Assert.Contains(option + " is " + value.ToString(System.Globalization.CultureInfo.CurrentCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessBlock_NotEnoughSamplesForAFrame_ReturnsFalseAndNoData()
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 8192 });
        var feeder = new ProducerFeeder(producer, Mono);
        Assert.False(feeder.FeedBlock(ProducerFeeder.Sine(1000, 1, Rate)));
        Assert.Null(producer.ExtractData());
    }

    [Theory]
    [InlineData(8192, 0.75)]
    [InlineData(256, 0.9)]
    [InlineData(16384, 0)]
    public void ProcessBlock_SteadyState_AllocatesNothing(int size, double overlap)
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = size, Overlap = overlap, Weighting = FrequencyWeighting.A, Channel = ChannelSelection.MonoSum, MaxPoints = 100 });
        ProducerFeeder.AssertProcessBlockAllocatesNothing(producer, new AudioFormat(Rate, 2));
    }
}
