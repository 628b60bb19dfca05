using System.Numerics;
using Friture.Streaming.Audio;
using MathNet.Numerics.IntegralTransforms;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Audio;

public sealed class SignalGeneratorSourceTests
{
    [Theory]
    [InlineData(440.0, -6.0, 48_000)]
    [InlineData(1000.0, -20.0, 44_100)]
    [InlineData(3000.0, 0.0, 8_000)]
    public void Read_Sine_HasTheFrequencyAndPeakLevelAsked(double frequency, double level, int rate)
    {
        using var source = Start(new SignalGeneratorOptions { FrequencyHz = frequency, LevelDbfs = level, SampleRate = rate });
        var x = ReadAll(source, rate); // 1 s: a whole number of periods

        // Goertzel on a whole number of periods: exact within float rounding; interpolated zero crossings within 0.1 Hz.
        Assert.Equal(level, SignalMeasures.Db(SignalMeasures.ToneAmplitude(x, frequency, rate)), 0.01);
        Assert.Equal(level - 3.0103, SignalMeasures.Db(SignalMeasures.Rms(x)), 0.01);
        Assert.Equal(frequency, SignalMeasures.ZeroCrossingFrequency(x, rate), tolerance: 0.1);
    }

    [Theory]
    [InlineData(440.0, 48_000, 2, 512)]
    [InlineData(997.0, 44_100, 1, 4096)]
    [InlineData(19_000.0, 48_000, 8, 333)]
    public void Read_Sine_EveryBlockMatchesTheAnalyticSineToAFloatStep(double frequency, int rate, int channels, int block)
    {
        // The sine is computed a block at a time by a rotation started from the exact sine of the block's first phase:
        // over 60 s of audio every sample must equal A*sin(2*pi*f*n/fs) within one float32 step (6e-8 at full scale),
        // every channel the same, the phase continuous from block to block.
        using var source = Start(new SignalGeneratorOptions { FrequencyHz = frequency, LevelDbfs = -1, SampleRate = rate, Channels = channels });
        var x = ReadAll(source, rate * 60, block);
        var amplitude = Math.Pow(10, -1 / 20.0);
        var worst = 0.0;

        // The reference phase accumulates like the generator's (step by step, wrapped at 2*pi): a phase computed as
        // 2*pi*f*n/fs differs from it by rounding that grows with n, more than the generator's own error.
        var step = 2 * Math.PI * frequency / rate;
        var phase = 0.0;
        for (var n = 0; n < x.Length / channels; n++)
        {
            var expected = amplitude * Math.Sin(phase);
            for (var c = 0; c < channels; c++)
            {
                worst = Math.Max(worst, Math.Abs(x[(n * channels) + c] - expected));
            }

            phase += step;
            if (phase >= 2 * Math.PI)
            {
                phase -= 2 * Math.PI;
            }
        }

        Assert.True(worst <= 6e-8, $"largest difference from the analytic sine: {worst:E2}");
    }

    [Fact]
    public void Read_WhiteNoise_HasTheRmsAskedAndAFlatSpectrum()
    {
        using var source = Start(new SignalGeneratorOptions { Waveform = SignalWaveform.WhiteNoise, LevelDbfs = -20, Seed = 7 });
        var x = ReadAll(source, 48_000 * 4);

        Assert.Equal(-20, SignalMeasures.Db(SignalMeasures.Rms(x)), 0.1);
        var low = BandPower(x, 48_000, 1_000, 2_000);
        var high = BandPower(x, 48_000, 8_000, 16_000);
        // White: power per octave doubles, +3.01 dB per octave, 3 octaves apart = +9.03 dB (±1 dB over 4 s).
        Assert.Equal(9.03, 10 * Math.Log10(high / low), 1.0);
    }

    [Fact]
    public void Read_PinkNoise_HasTheRmsAskedAndEqualPowerPerOctave()
    {
        using var source = Start(new SignalGeneratorOptions { Waveform = SignalWaveform.PinkNoise, LevelDbfs = -20, Seed = 3 });
        var x = ReadAll(source, 48_000 * 8);

        Assert.Equal(-20, SignalMeasures.Db(SignalMeasures.Rms(x)), 0.5);
        var low = BandPower(x, 48_000, 100, 200);
        var mid = BandPower(x, 48_000, 800, 1_600);
        var high = BandPower(x, 48_000, 3_200, 6_400);
        // Pink: the same power in every octave; the 13-row Voss-McCartney approximation ripples by about 1 dB.
        Assert.Equal(0, 10 * Math.Log10(mid / low), 1.5);
        Assert.Equal(0, 10 * Math.Log10(high / mid), 1.5);
    }

    [Fact]
    public void Read_Sweep_StartsAtStartFrequencyAndIsGeometricMeanHalfway()
    {
        using var source = Start(new SignalGeneratorOptions
        {
            Waveform = SignalWaveform.Sweep, SweepStartHz = 100, SweepEndHz = 10_000, SweepDurationSeconds = 20, LevelDbfs = -3,
        });
        var x = ReadAll(source, 48_000 * 11);

        // Exponential sweep: f(t) = f1 (f2/f1)^(t/T). Over a 50 ms window the frequency moves 1.2 %, so the mean
        // zero-crossing frequency is f at the window centre within 0.5 %.
        Assert.Equal(100 * Math.Pow(100, 0.025 / 20), SignalMeasures.ZeroCrossingFrequency(x.AsSpan(0, 2_400), 48_000), 0.5);
        Assert.Equal(1_000, SignalMeasures.ZeroCrossingFrequency(x.AsSpan((48_000 * 10) - 1_200, 2_400), 48_000), tolerance: 5);
        Assert.Equal(-3, SignalMeasures.Db(x.Max(Math.Abs)), 0.01);
    }

    [Fact]
    public void Read_Burst_OneSampleAtTheLevelEveryInterval()
    {
        using var source = Start(new SignalGeneratorOptions { Waveform = SignalWaveform.Burst, BurstIntervalSeconds = 0.25, LevelDbfs = -6 });
        var x = ReadAll(source, 48_000);

        var peaks = Enumerable.Range(0, x.Length).Where(i => x[i] != 0).ToArray();
        Assert.Equal([0, 12_000, 24_000, 36_000], peaks);
        Assert.Equal(Math.Pow(10, -6 / 20.0), x[12_000], 6);
    }

    [Fact]
    public void Read_MultiChannelWithDelayAndInversion_ChannelsAreDelayedInvertedCopies()
    {
        using var source = Start(new SignalGeneratorOptions
        {
            Waveform = SignalWaveform.WhiteNoise, Channels = 3, InterChannelDelaySeconds = 0.002, InvertPolarity = true, Seed = 11,
        });
        var x = ReadAll(source, 4_800, blockFrames: 100);

        Assert.Equal(96, source.InterChannelDelayFrames);
        var c1 = SignalMeasures.Channel(x, 3, 0);
        var c2 = SignalMeasures.Channel(x, 3, 1);
        var c3 = SignalMeasures.Channel(x, 3, 2);
        for (var i = 0; i < 96; i++)
        {
            Assert.Equal(0f, c2[i]);
        }

        for (var i = 192; i < c1.Length; i++)
        {
            Assert.Equal(-c1[i - 96], c2[i]);
            Assert.Equal(-c1[i - 192], c3[i]);
        }
    }

    [Fact]
    public async Task Read_RealTime_WaitsForTheClockAndSkipsWhenTheReaderLags()
    {
        var time = new FakeTimeProvider();
        using var source = Start(new SignalGeneratorOptions { RealTime = true, TimeProvider = time, MaxLagSeconds = 0.1 });
        var buffer = new float[480];
        var read = Task.Run(() => source.Read(buffer, CancellationToken.None), TestContext.Current.CancellationToken);

        await Task.Delay(50, TestContext.Current.CancellationToken); // a negative check: a race can only hide a failure, never fake one
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));
        var first = (await read);
        Assert.Equal(new AudioReadResult(480, 0, false), first);

        // The reader comes back 1 s later: everything beyond 0.1 s of lag is skipped, a gap in the frame index.
        time.Advance(TimeSpan.FromSeconds(1));
        var late = source.Read(buffer, CancellationToken.None);
        Assert.Equal(48_000 + 480 - 4_800, late.FirstFrameIndex);
        Assert.Equal(480, late.Frames);
    }

    [Fact]
    public async Task Stop_ReadWaitingForTheClock_ReturnsNoFrames()
    {
        using var source = Start(new SignalGeneratorOptions { RealTime = true, TimeProvider = new FakeTimeProvider() });
        var read = Task.Run(() => source.Read(new float[480], CancellationToken.None), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken); // a negative check: a race can only hide a failure, never fake one
        Assert.False(read.IsCompleted);

        source.Stop();

        Assert.Equal(0, (await read).Frames);
    }

    [Theory]
    [InlineData("FrequencyHz", "FrequencyHz is 30000 Hz")]
    [InlineData("LevelDbfs", "LevelDbfs is 3 dBFS")]
    [InlineData("InterChannelDelaySeconds", "InterChannelDelaySeconds is 2 s")]
    [InlineData("SampleRate", "SampleRate is 4000 Hz")]
    [InlineData("Channels", "Channels is 33")]
    public void Constructor_OptionOutOfRange_ThrowsNamingOptionValueAndRange(string option, string expected)
    {
        var options = new SignalGeneratorOptions();
        switch (option)
        {
            case "FrequencyHz": options.FrequencyHz = 30_000; break;
            case "LevelDbfs": options.LevelDbfs = 3; break;
            case "InterChannelDelaySeconds": options.InterChannelDelaySeconds = 2; break;
            case "SampleRate": options.SampleRate = 4_000; break;
            default: options.Channels = 33; break;
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SignalGeneratorSource(options));

        Assert.Equal(option, ex.ParamName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("must be", ex.Message, StringComparison.Ordinal);
    }

    internal static SignalGeneratorSource Start(SignalGeneratorOptions options)
    {
        if (options.TimeProvider == TimeProvider.System)
        {
            options.RealTime = false;
        }

        var source = new SignalGeneratorSource(options);
        source.Start();
        return source;
    }

    internal static float[] ReadAll(IAudioSource source, int frames, int blockFrames = 512)
    {
        var channels = source.Format.Channels;
        var all = new float[frames * channels];
        var block = new float[blockFrames * channels];
        long expected = 0;
        for (var done = 0; done < frames;)
        {
            var r = source.Read(block.AsSpan(0, Math.Min(blockFrames, frames - done) * channels), CancellationToken.None);
            Assert.Equal(expected, r.FirstFrameIndex);
            block.AsSpan(0, r.Frames * channels).CopyTo(all.AsSpan(done * channels));
            done += r.Frames;
            expected += r.Frames;
        }

        return all;
    }

    private static double BandPower(float[] x, int rate, double low, double high)
    {
        const int n = 8192;
        double total = 0;
        var buffer = new Complex[n];
        for (var start = 0; start + n <= x.Length; start += n)
        {
            for (var i = 0; i < n; i++)
            {
                buffer[i] = new Complex(x[start + i], 0);
            }

            Fourier.Forward(buffer, FourierOptions.Matlab);
            for (var k = (int)Math.Ceiling(low * n / rate); k < high * n / rate; k++)
            {
                total += buffer[k].Magnitude * buffer[k].Magnitude;
            }
        }

        return total;
    }
}
