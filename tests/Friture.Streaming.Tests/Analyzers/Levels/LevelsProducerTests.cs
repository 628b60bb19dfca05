using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Weighting;

namespace Friture.Streaming.Tests.Analyzers.Levels;

public sealed class LevelsProducerTests
{
    private const int Rate = 48000;
    private static readonly AudioFormat Mono = new(Rate, 1);

    [Theory]
    [InlineData(LevelTimeWeighting.Fast)]
    [InlineData(LevelTimeWeighting.Slow)]
    [InlineData(LevelTimeWeighting.Impulse)]
    [InlineData(LevelTimeWeighting.Friture)]
    public void ExtractData_FullScaleSine_PeakZeroAndRmsMinus301Within002Db(LevelTimeWeighting weighting)
    {
        var producer = new LevelsProducer(new LevelsOptions { TimeWeighting = weighting });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(8, ProducerFeeder.Sine(997, 1.0, Rate));
        producer.ExtractData();
        feeder.Feed(0.5, ProducerFeeder.Sine(997, 1.0, Rate));
        var data = Assert.IsType<LevelsData>(producer.ExtractData());

        Assert.InRange(data.PeakLevelsDb[0], -0.02f, 0.0f);
        Assert.InRange(data.RmsLevelsDb[0], -3.03f, -2.99f);
        Assert.InRange(data.LeqLevelsDb[0], -3.03f, -2.99f);
        Assert.InRange(data.MaxLevelsDb[0], -3.03f, -2.99f);
        Assert.InRange(data.PeakHoldLevelsDb[0], -0.02f, 0.0f);
    }

    [Theory]
    [InlineData(LevelTimeWeighting.Fast, 0.125)]
    [InlineData(LevelTimeWeighting.Slow, 1.0)]
    [InlineData(LevelTimeWeighting.Friture, 0.3)]
    [InlineData(LevelTimeWeighting.Impulse, 0.035)]
    public void RmsLevel_StepUp_ReachesOneMinusOneOverEAtTimeConstantWithin5Percent(LevelTimeWeighting weighting, double tau)
    {
        var producer = new LevelsProducer(new LevelsOptions { TimeWeighting = weighting });
        var feeder = new ProducerFeeder(producer, Mono, blockFrames: 16);
        feeder.Feed(0.1, (_, _) => 0f);
        var start = feeder.Time;
        var crossing = MeasureCrossing(producer, feeder, ProducerFeeder.Sine(1000, 1.0, Rate), 0.5 * (1 - Math.Exp(-1)), rising: true, 5 * tau);
        Assert.InRange(crossing - start, 0.95 * tau, 1.05 * tau);
    }

    [Theory]
    [InlineData(LevelTimeWeighting.Fast, 0.125)]
    [InlineData(LevelTimeWeighting.Slow, 1.0)]
    [InlineData(LevelTimeWeighting.Impulse, 1.5)]
    public void RmsLevel_StepDown_FallsToOneOverEAtDecayTimeWithin5Percent(LevelTimeWeighting weighting, double tau)
    {
        var producer = new LevelsProducer(new LevelsOptions { TimeWeighting = weighting });
        var feeder = new ProducerFeeder(producer, Mono, blockFrames: 16);
        feeder.Feed(12, ProducerFeeder.Sine(1000, 1.0, Rate));
        var start = feeder.Time;
        var crossing = MeasureCrossing(producer, feeder, (_, _) => 0f, 0.5 * Math.Exp(-1), rising: false, 5 * tau);
        Assert.InRange(crossing - start, 0.95 * tau, 1.05 * tau);
    }

    [Fact]
    public void PeakHold_AfterBurst_HoldsThenFallsAtConfiguredRate()
    {
        var producer = new LevelsProducer(new LevelsOptions { PeakHoldTime = 0.5, PeakHoldFallRate = 20 });
        var feeder = new ProducerFeeder(producer, Mono, blockFrames: 48);
        feeder.Feed(0.01, ProducerFeeder.Sine(1000, 0.5, Rate));
        var burstEnd = feeder.Time;
        feeder.Feed(0.4, (_, _) => 0f);
        var held = (LevelsData)producer.ExtractData()!;
        Assert.InRange(held.PeakHoldLevelsDb[0], -6.03f, -6.0f);

        // 0.5 s after the hold ended the level has fallen by 20 dB/s * 0.5 s = 10 dB (one 1 ms block of granularity).
        feeder.Feed(burstEnd + 1.0 - feeder.Time, (_, _) => 0f);
        var fallen = (LevelsData)producer.ExtractData()!;
        Assert.InRange(fallen.PeakHoldLevelsDb[0], -6.02f - 10.05f, -6.02f - 9.95f);
    }

    [Fact]
    public void PeakLevel_ReportsHighestPeakSinceLastMessage()
    {
        var producer = new LevelsProducer(new LevelsOptions { PeakReleaseTime = 0.001 });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.FeedBlock((n, _) => n == 10 ? 0.25f : 0f);
        feeder.Feed(0.2, (_, _) => 0f);
        var data = (LevelsData)producer.ExtractData()!;
        Assert.Equal(-12.04f, data.PeakLevelsDb[0], 0.01f);
        feeder.Feed(0.1, (_, _) => 0f);
        Assert.True(((LevelsData)producer.ExtractData()!).PeakLevelsDb[0] < -100f);
    }

    [Fact]
    public void Leq_HalfSineHalfSilence_IsMinus602Dbfs()
    {
        var producer = new LevelsProducer();
        var feeder = new ProducerFeeder(producer, Mono, blockFrames: 480);
        producer.ExtractData();
        feeder.Feed(0.5, ProducerFeeder.Sine(1000, 1.0, Rate));
        feeder.Feed(0.5, (_, _) => 0f);
        var data = (LevelsData)producer.ExtractData()!;
        Assert.Equal(-6.02f, data.LeqLevelsDb[0], 0.02f);

        // Lmax: the 300 ms RMS had risen to 1 - exp(-0.5 / 0.3) of the sine's mean square when the sine stopped.
        Assert.Equal(10 * Math.Log10(0.5 * (1 - Math.Exp(-0.5 / 0.3))), data.MaxLevelsDb[0], 0.05);
    }

    [Theory]
    [InlineData(FrequencyWeighting.A, 100.0)]
    [InlineData(FrequencyWeighting.C, 31.5)]
    [InlineData(FrequencyWeighting.A, 1000.0)]
    public void RmsLevel_WeightedSine_IsAttenuatedByCurve(FrequencyWeighting weighting, double frequency)
    {
        var producer = new LevelsProducer(new LevelsOptions { Weighting = weighting, TimeWeighting = LevelTimeWeighting.Slow });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(10, ProducerFeeder.Sine(frequency, 1.0, Rate));
        var data = (LevelsData)producer.ExtractData()!;
        Assert.Equal(-3.01 + WeightingCurves.GainDb(weighting, frequency), data.RmsLevelsDb[0], 0.1);
        Assert.Equal(weighting.ToString(), data.Weighting);
    }

    [Fact]
    public void ExtractData_Stereo_ReportsEachChannel()
    {
        var producer = new LevelsProducer();
        var feeder = new ProducerFeeder(producer, new AudioFormat(Rate, 2));
        feeder.Feed(3, (n, c) => (float)((c == 0 ? 1.0 : 0.1) * Math.Sin(2 * Math.PI * 997 * n / Rate)));
        var data = (LevelsData)producer.ExtractData()!;
        Assert.Equal(["ch1", "ch2"], data.ChannelLabels);
        Assert.InRange(data.RmsLevelsDb[0], -3.03f, -2.99f);
        Assert.InRange(data.RmsLevelsDb[1], -23.03f, -22.99f);
        Assert.InRange(data.PeakLevelsDb[1], -20.02f, -20.0f);
    }

    [Theory]
    [InlineData(FrequencyWeighting.Z, LevelTimeWeighting.Friture)]
    [InlineData(FrequencyWeighting.A, LevelTimeWeighting.Impulse)]
    [InlineData(FrequencyWeighting.C, LevelTimeWeighting.Fast)]
    public void ExtractData_ThreeChannels_EachChannelReadsAsAMonoProducerOfItsSignal(FrequencyWeighting weighting, LevelTimeWeighting timeWeighting)
    {
        // Channels run two at a time in vector lanes (the third alone): each must read exactly what a mono producer
        // fed that channel's signal reads.
        static float Signal(long n, int c) => (float)((0.9 / (c + 1) * Math.Sin(2 * Math.PI * (300 + (700 * c)) * n / Rate))
            + (n % 9000 < 300 ? 0.05 * (c + 1) : 0));

        var options = new LevelsOptions { Weighting = weighting, TimeWeighting = timeWeighting, PeakHoldTime = 0.05 };
        var multi = new LevelsProducer(options);
        var feeder = new ProducerFeeder(multi, new AudioFormat(Rate, 3), blockFrames: 480);
        var monos = new LevelsProducer[3];
        var monoFeeders = new ProducerFeeder[3];
        for (var c = 0; c < 3; c++)
        {
            monos[c] = new LevelsProducer(options);
            monoFeeders[c] = new ProducerFeeder(monos[c], Mono, blockFrames: 480);
        }

        for (var k = 0; k < 40; k++)
        {
            feeder.FeedBlock(Signal);
            for (var c = 0; c < 3; c++)
            {
                var channel = c;
                monoFeeders[c].FeedBlock((n, _) => Signal(n, channel));
            }

            if (k % 7 != 6)
            {
                continue;
            }

            var data = (LevelsData)multi.ExtractData()!;
            for (var c = 0; c < 3; c++)
            {
                var mono = (LevelsData)monos[c].ExtractData()!;
                Assert.Equal(mono.PeakLevelsDb[0], data.PeakLevelsDb[c]);
                Assert.Equal(mono.RmsLevelsDb[0], data.RmsLevelsDb[c]);
                Assert.Equal(mono.PeakHoldLevelsDb[0], data.PeakHoldLevelsDb[c]);
                Assert.Equal(mono.LeqLevelsDb[0], data.LeqLevelsDb[c]);
                Assert.Equal(mono.MaxLevelsDb[0], data.MaxLevelsDb[c]);
            }
        }
    }

    [Fact]
    public void ExtractData_Silence_FloorsAtMinus200()
    {
        var producer = new LevelsProducer();
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.1, (_, _) => 0f);
        var data = (LevelsData)producer.ExtractData()!;
        Assert.Equal(Decibels.Floor, data.PeakLevelsDb[0]);
        Assert.Equal(Decibels.Floor, data.RmsLevelsDb[0]);
        Assert.Equal(Decibels.Floor, data.LeqLevelsDb[0]);
    }

    [Theory]
    [InlineData(nameof(LevelsOptions.PeakHoldTime), -1.0)]
    [InlineData(nameof(LevelsOptions.PeakHoldFallRate), 0.0)]
    [InlineData(nameof(LevelsOptions.PeakReleaseTime), 11.0)]
    public void Constructor_InvalidOption_ThrowsNamingIt(string option, double value)
    {
        var options = new LevelsOptions();
        switch (option)
        {
            case nameof(LevelsOptions.PeakHoldTime): options.PeakHoldTime = value; break;
            case nameof(LevelsOptions.PeakHoldFallRate): options.PeakHoldFallRate = value; break;
            default: options.PeakReleaseTime = value; break;
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LevelsProducer(options));
        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void Constructor_BWeighting_Rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LevelsProducer(new LevelsOptions { Weighting = FrequencyWeighting.B }));
        Assert.Contains("Z, A or C", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FrequencyWeighting.Z, 1)]
    [InlineData(FrequencyWeighting.A, 2)]
    [InlineData(FrequencyWeighting.C, 8)]
    public void ProcessBlock_SteadyState_AllocatesNothing(FrequencyWeighting weighting, int channels)
    {
        var producer = new LevelsProducer(new LevelsOptions { Weighting = weighting, TimeWeighting = LevelTimeWeighting.Impulse });
        ProducerFeeder.AssertProcessBlockAllocatesNothing(producer, new AudioFormat(Rate, channels));
    }

    private static double MeasureCrossing(LevelsProducer producer, ProducerFeeder feeder, Func<long, int, float> signal, double target, bool rising, double limit)
    {
        var start = feeder.Time;
        double previousTime = start, previous = double.NaN;
        while (feeder.Time < start + limit)
        {
            feeder.FeedBlock(signal);
            var data = (LevelsData)producer.ExtractData()!;
            var meanSquare = Math.Pow(10, data.RmsLevelsDb[0] / 10.0);
            var time = feeder.Time;
            if (!double.IsNaN(previous) && (rising ? meanSquare >= target : meanSquare <= target))
            {
                return previousTime + ((time - previousTime) * ((target - previous) / (meanSquare - previous)));
            }

            previousTime = time;
            previous = meanSquare;
        }

        return double.NaN;
    }
}
