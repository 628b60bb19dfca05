using Friture.Streaming.Dsp.Loudness;

namespace Friture.Streaming.Tests.Dsp.Loudness;

/// <summary>The meter on the EBU test signals with the readings and tolerances of Tech 3341 and Tech 3342.</summary>
public sealed class LoudnessMeterEbuTests
{
    [Theory]
    [InlineData("3341-1", -23.0)]
    [InlineData("3341-2", -33.0)]
    public void Meter_Tech3341Cases1And2_MomentaryShortTermIntegratedWithin01Lu(string name, double expected)
    {
        var (samples, channels) = EbuTestSignals.Create(name, 48000);
        var meter = LoudnessMeterReferenceTests.Measure(samples, channels, 48000);
        Assert.Equal(expected, meter.MomentaryLufs!.Value, 0.1);
        Assert.Equal(expected, meter.ShortTermLufs!.Value, 0.1);
        Assert.Equal(expected, meter.IntegratedLufs!.Value, 0.1);
        Assert.Equal(expected, meter.MaxMomentaryLufs!.Value, 0.1);
        Assert.Equal(expected, meter.MaxShortTermLufs!.Value, 0.1);
        Assert.Equal(0, meter.LoudnessRangeLu!.Value, 0.1);
    }

    [Theory]
    [InlineData("3341-3")]
    [InlineData("3341-4")]
    [InlineData("3341-5")]
    [InlineData("3341-6")]
    public void Meter_Tech3341Cases3To6_IntegratedMinus23Within01Lu(string name)
    {
        var (samples, channels) = EbuTestSignals.Create(name, 48000);
        var meter = LoudnessMeterReferenceTests.Measure(samples, channels, 48000);
        Assert.Equal(-23.0, meter.IntegratedLufs!.Value, 0.1);
    }

    [Fact]
    public void Meter_Tech3341Case9_ShortTermMinus23Within01LuAtEveryBlockAfter3s()
    {
        var (samples, channels) = EbuTestSignals.Create("3341-9", 48000);
        Span<double> weights = [1, 1];
        var meter = new LoudnessMeter(48000, weights);
        var checkedBlocks = 0;
        for (var start = 0; start < samples.Length; start += 2 * 480)
        {
            meter.Process(samples.AsSpan(start, Math.Min(2 * 480, samples.Length - start)));
            if (meter.Frames >= 3 * 48000)
            {
                Assert.Equal(-23.0, meter.ShortTermLufs!.Value, 0.1);
                checkedBlocks++;
            }
        }

        Assert.True(checkedBlocks > 1000);
    }

    [Theory]
    [InlineData("3342-1", 10.0)]
    [InlineData("3342-2", 5.0)]
    [InlineData("3342-3", 20.0)]
    [InlineData("3342-4", 15.0)]
    public void Meter_Tech3342Cases1To4_LoudnessRangeWithin1Lu(string name, double expected)
    {
        foreach (var rate in new[] { 44100, 48000, 96000 })
        {
            var (samples, channels) = EbuTestSignals.Create(name, rate);
            var meter = LoudnessMeterReferenceTests.Measure(samples, channels, rate);

            // Tech 3342 allows +-1 LU; on these steady segments the meter is exact to its 0.01 LU bins.
            Assert.Equal(expected, meter.LoudnessRangeLu!.Value, 0.05);
        }
    }

    [Theory]
    [InlineData(48000, 576.0, 0.0)]
    [InlineData(48000, 1152.0, 0.0)]
    [InlineData(48000, 11520.0, 30.0)]
    [InlineData(48000, 12000.0, 45.0)]
    [InlineData(44100, 11025.0, 45.0)]
    [InlineData(96000, 24000.0, 45.0)]
    [InlineData(192000, 48000.0, 45.0)]
    public void Meter_TruePeakSines_Minus6DbtpWithinTech3341Tolerance(int rate, double frequency, double phaseDegrees)
    {
        // Tech 3341's true-peak cases are sines at -6 dBFS whose samples may miss the crest: the reading must lie within
        // +0.2 / -0.4 dB of the continuous peak. An fs/4 sine at 45 degrees has every sample 3 dB below it.
        var samples = LoudnessSignals.Sine(rate, 2, 2.0, frequency, -6.0206, phaseDegrees * Math.PI / 180);
        var meter = LoudnessMeterReferenceTests.Measure(samples, 2, rate);
        var truePeak = 20 * Math.Log10(meter.TruePeak(0));
        Assert.InRange(truePeak, -6.0206 - 0.4, -6.0206 + 0.2);

        // The abrupt start rings (Gibbs, +0.1 dB at fs/4); faded in over 20 ms, the sine reads its crest within 0.05 dB.
        var fade = rate / 50;
        for (var n = 0; n < fade; n++)
        {
            var gain = (float)(0.5 - (0.5 * Math.Cos(Math.PI * n / fade)));
            samples[2 * n] *= gain;
            samples[(2 * n) + 1] *= gain;
        }

        var faded = LoudnessMeterReferenceTests.Measure(samples, 2, rate);
        Assert.Equal(-6.0206, 20 * Math.Log10(faded.TruePeak(0)), 0.05);
        if (phaseDegrees == 45)
        {
            Assert.Equal(-9.03, 20 * Math.Log10(meter.SamplePeak(0)), 0.01);
        }
    }

    [Theory]
    [InlineData(16000, 0.06)]
    [InlineData(22050, 0.04)]
    [InlineData(32000, 0.02)]
    [InlineData(44100, 0.01)]
    [InlineData(48000, 0.01)]
    [InlineData(88200, 0.01)]
    [InlineData(96000, 0.01)]
    [InlineData(192000, 0.01)]
    public void Meter_1kHzStereoAtMinus23Dbfs_AnyRate_ReadsMinus23LufsWithinTech3341(int rate, double tolerance)
    {
        // Tech 3341 allows 0.1 LU; measured: -22.993 at 44.1 to 192 kHz (the standard's own filter at 48 kHz reads
        // -22.993), -23.04 at 16 kHz. At 8 kHz the shelf, warped near Nyquist, reads -23.2.
        var samples = LoudnessSignals.Segments(rate, 2, (5, -23));
        var meter = LoudnessMeterReferenceTests.Measure(samples, 2, rate);
        Assert.Equal(-23.0, meter.IntegratedLufs!.Value, 0.1);
        Assert.Equal(-22.993, meter.IntegratedLufs!.Value, tolerance);
        Assert.Equal(-22.993, meter.MomentaryLufs!.Value, tolerance);
        Assert.Equal(-22.993, meter.ShortTermLufs!.Value, tolerance);
    }

    [Theory]
    [InlineData(3.0, true)]
    [InlineData(0.4, false)]
    public void Meter_BurstOffTheStepGrid_MaximumReadsTheBurstLevel(double burstSeconds, bool shortTerm)
    {
        // A burst exactly as long as the window, starting between two 100 ms steps: a meter that looks only every
        // 100 ms reads up to 0.15 dB low; the maxima here are taken at every frame.
        var samples = LoudnessSignals.Levels(48000, 2, 1000, 0,
            (1.2345, [double.NegativeInfinity, double.NegativeInfinity]), (burstSeconds, [-23, -23]), (4, [double.NegativeInfinity, double.NegativeInfinity]));
        var meter = LoudnessMeterReferenceTests.Measure(samples, 2, 48000);
        var max = shortTerm ? meter.MaxShortTermLufs!.Value : meter.MaxMomentaryLufs!.Value;
        Assert.Equal(-23.0, max, 0.02);
    }

    [Fact]
    public void Meter_FiveOneWithLoudLfe_LfeIsExcluded()
    {
        // L R C LFE Ls Rs at -28, -28, -24, 0 (LFE), -30, -30 dBFS: the case 6 programme plus a full-scale LFE.
        var samples = LoudnessSignals.Levels(48000, 6, 1000, 0, (10, [-28, -28, -24, 0, -30, -30]));
        var meter = LoudnessMeterReferenceTests.Measure(samples, 6, 48000);
        Assert.Equal(-23.0, meter.IntegratedLufs!.Value, 0.1);
        Assert.Equal(0.0, 20 * Math.Log10(meter.SamplePeak(3)), 0.01);
    }

    [Fact]
    public void Process_AnyChunking_SameReadings()
    {
        var samples = EbuTestSignals.Create("3341-5", 44100).Samples.AsSpan(0, 2 * 44100 * 25).ToArray();
        var reference = LoudnessMeterReferenceTests.Measure(samples, 2, 44100, blockFrames: 4096);
        foreach (var block in new[] { 1, 7, 441, 4410, 10000 })
        {
            var meter = LoudnessMeterReferenceTests.Measure(samples, 2, 44100, blockFrames: block);
            Assert.Equal(reference.IntegratedLufs!.Value, meter.IntegratedLufs!.Value, 1e-9);
            Assert.Equal(reference.MomentaryLufs!.Value, meter.MomentaryLufs!.Value, 1e-9);
            Assert.Equal(reference.ShortTermLufs!.Value, meter.ShortTermLufs!.Value, 1e-9);
            Assert.Equal(reference.LoudnessRangeLu!.Value, meter.LoudnessRangeLu!.Value, 1e-9);
            Assert.Equal(reference.TruePeak(0), meter.TruePeak(0), 1e-6);
        }
    }

    [Fact]
    public void ResetProgramme_StartsANewProgrammeAndKeepsTheFilters()
    {
        Span<double> weights = [1, 1];
        var meter = new LoudnessMeter(48000, weights);
        meter.Process(LoudnessSignals.Segments(48000, 2, (10, -10)));
        meter.ResetProgramme();
        Assert.Null(meter.IntegratedLufs);
        Assert.Null(meter.MomentaryLufs);
        Assert.Null(meter.LoudnessRangeLu);
        Assert.Equal(0, meter.DurationSeconds);
        Assert.Equal(0, meter.TruePeak(0));
        meter.Process(LoudnessSignals.Segments(48000, 2, (10, -30)));
        Assert.Equal(-30.0, meter.IntegratedLufs!.Value, 0.02);
        Assert.Equal(-30.0, meter.MaxMomentaryLufs!.Value, 0.05);
        Assert.Equal(-30.0, 20 * Math.Log10(meter.TruePeak(0)), 0.05);
        Assert.Equal(10.0, meter.DurationSeconds, 1e-9);
    }

    [Fact]
    public void Meter_BeforeWindowsFillOrInSilence_ReadsNull()
    {
        Span<double> weights = [1, 1];
        var meter = new LoudnessMeter(48000, weights);
        meter.Process(LoudnessSignals.Segments(48000, 2, (0.39, -20)));
        Assert.Null(meter.MomentaryLufs);
        meter.Process(LoudnessSignals.Segments(48000, 2, (0.02, -20)));
        Assert.NotNull(meter.MomentaryLufs);
        Assert.Null(meter.ShortTermLufs);
        meter.Process(new float[2 * 48000 * 4]);
        Assert.Null(meter.MomentaryLufs);
        Assert.Null(meter.ShortTermLufs);
        Assert.NotNull(meter.IntegratedLufs);
    }
}
