using Friture.Streaming.Analyzers;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;

namespace Friture.Streaming.Tests.Analyzers.Scope;

public sealed class ScopeProducerTests
{
    private const int Rate = 48000;
    private static readonly AudioFormat Mono = new(Rate, 1);

    [Fact]
    public void ExtractData_TriggeredSine_TimeZeroIsRisingCrossingOfTwoThirdsOfMax()
    {
        var producer = new ScopeProducer(new ScopeOptions { WindowSeconds = 0.05 });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.2, ProducerFeeder.Sine(123, 0.9, Rate));
        var data = Assert.IsType<ScopeData>(producer.ExtractData());

        Assert.True(data.Triggered);
        Assert.Equal(2400, data.Times.Length);
        var zero = data.Times.IndexOf(0f);
        Assert.Equal(1200, zero);
        var samples = data.Samples[0];
        Assert.True(samples[zero] >= 0.6f && samples[zero - 1] < 0.6f, $"{samples[zero - 1]} -> {samples[zero]}");
        Assert.Equal(-0.025, data.Times[0], 1e-6);
        Assert.Equal(0.05, data.WindowSeconds, 1e-9);
    }

    [Theory]
    [InlineData(1, 0.1, 1)]
    [InlineData(97, 0.1, 2)]
    [InlineData(512, 0.25, 3)]
    [InlineData(1000, -0.2, 4)]
    [InlineData(333, 0.6, 5)]
    public void ExtractData_RandomSignalAnyBlockSize_TriggersOnTheLatestCrossingAsDefined(int blockFrames, double level, int seed)
    {
        // Noise with slow swings, so crossings are sparse; the window (1001 frames) and the history (2002) wrap at every
        // phase as blocks of odd sizes arrive. The reference is the definition, evaluated on the whole signal.
        const int window = 1001;
        var producer = new ScopeProducer(new ScopeOptions { WindowSeconds = window / (double)Rate, TriggerLevel = level });
        var random = new Random(seed);
        var signal = new float[40_000];
        var smooth = 0.0;
        for (var n = 0; n < signal.Length; n++)
        {
            smooth += 0.05 * (((random.NextDouble() * 2) - 1) - smooth);
            signal[n] = (float)(3 * smooth);
        }

        var written = 0;
        var checkedWindows = 0;
        while (written + blockFrames <= signal.Length)
        {
            producer.ProcessBlock(new AudioBlock(signal.AsSpan(written, blockFrames), Mono, written));
            written += blockFrames;
            var data = producer.ExtractData() as ScopeData;
            if (data is null)
            {
                continue;
            }

            var half = window / 2;
            var lo = Math.Max(0, written - (2 * window)) + half;
            var hi = written - (window - half);
            var expected = -1;
            for (var n = hi; n > lo; n--)
            {
                if (signal[n - 1] < level && signal[n] >= level)
                {
                    expected = n;
                    break;
                }
            }

            Assert.Equal(expected > 0, data.Triggered);
            var start = expected > 0 ? expected - half : written - window;
            Assert.Equal(signal.AsSpan(start, window).ToArray(), data.Samples[0].ToArray());
            checkedWindows++;
        }

        Assert.True(checkedWindows > 30, $"{checkedWindows} windows checked");
    }

    [Fact]
    public void ExtractData_TriggeredSineAtDifferentTimes_ShowsSamePhase()
    {
        var producer = new ScopeProducer(new ScopeOptions { WindowSeconds = 0.02 });
        var feeder = new ProducerFeeder(producer, Mono);
        var sine = ProducerFeeder.Sine(440, 0.5, Rate);
        feeder.Feed(0.1, sine);
        var a = (ScopeData)producer.ExtractData()!;
        feeder.Feed(0.0371, sine);
        var b = (ScopeData)producer.ExtractData()!;
        for (var i = 0; i < a.Times.Length; i += 37)
        {
            Assert.Equal(a.Samples[0][i], b.Samples[0][i], 0.05f);
        }
    }

    [Fact]
    public void ExtractData_FixedLevelOnChannel2_TriggersOnThatChannel()
    {
        var options = new ScopeOptions { WindowSeconds = 0.01, TriggerLevel = 0.1, TriggerChannel = ChannelSelection.FromChannel(2) };
        var producer = new ScopeProducer(options);
        var feeder = new ProducerFeeder(producer, new AudioFormat(Rate, 2));
        feeder.Feed(0.1, (n, c) => c == 1 ? (float)(0.3 * Math.Sin(2 * Math.PI * 250 * n / Rate)) : 0.7f);
        var data = (ScopeData)producer.ExtractData()!;
        Assert.True(data.Triggered);
        Assert.Equal(["ch1", "ch2"], data.ChannelLabels);
        var zero = data.Times.IndexOf(0f);
        Assert.True(data.Samples[1][zero] >= 0.1f && data.Samples[1][zero - 1] < 0.1f);
        Assert.All(data.Samples[0], v => Assert.Equal(0.7f, v));
    }

    [Fact]
    public void ExtractData_Silence_NotTriggeredAndLatestSamples()
    {
        var producer = new ScopeProducer(new ScopeOptions { WindowSeconds = 0.01 });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(0.05, (_, _) => 0f);
        var data = (ScopeData)producer.ExtractData()!;
        Assert.False(data.Triggered);
        Assert.Equal(0f, data.Times[0]);
        Assert.Equal(feeder.Time, producer.ResultStreamTime!.Value, 1e-9);
    }

    [Fact]
    public void ExtractData_FreeRunning_EndsWithLatestSample()
    {
        var producer = new ScopeProducer(new ScopeOptions { WindowSeconds = 0.001, TriggerMode = ScopeTriggerMode.FreeRunning });
        var feeder = new ProducerFeeder(producer, Mono, blockFrames: 100);
        feeder.Feed(0.01, (n, _) => n / 100000f);
        var data = (ScopeData)producer.ExtractData()!;
        Assert.False(data.Triggered);
        Assert.Equal(48, data.Samples[0].Length);
        Assert.Equal((feeder.FramePosition - 1) / 100000f, data.Samples[0][^1], 1e-6f);
        Assert.Equal(0f, data.Times[0]);
        Assert.Equal(47 / 48000f, data.Times[^1], 1e-7f);
    }

    [Fact]
    public void ExtractData_Reduced_KeepsIsolatedMinimumAndMaximum()
    {
        var producer = new ScopeProducer(new ScopeOptions { WindowSeconds = 1, MaxPoints = 1000, TriggerMode = ScopeTriggerMode.FreeRunning });
        var feeder = new ProducerFeeder(producer, Mono);
        feeder.Feed(1.0, (n, _) => n == 20001 ? 0.99f : n == 30002 ? -0.5f : (float)(0.01 * Math.Sin(n * 0.01)));
        feeder.Feed(0.2, (_, _) => 0f);
        var data = (ScopeData)producer.ExtractData()!;
        Assert.True(data.Reduced);
        Assert.Equal(1000, data.Samples[0].Length);
        Assert.Equal(1000, data.Times.Length);
        Assert.Equal(0.99f, data.Samples[0].Max());
        Assert.Equal(-0.5f, data.Samples[0].Min());
        for (var i = 1; i < data.Times.Length; i++)
        {
            Assert.True(data.Times[i] > data.Times[i - 1]);
        }
    }

    [Theory]
    [InlineData(0.00005)]
    [InlineData(11.0)]
    public void Constructor_WindowOutOfRange_ThrowsNamingRange(double seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ScopeProducer(new ScopeOptions { WindowSeconds = seconds }));
        Assert.Equal(nameof(ScopeOptions.WindowSeconds), ex.ParamName);
        Assert.Contains("between 0.0001 and 10", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.05, 1)]
    [InlineData(10.0, 2)]
    [InlineData(0.0001, 2)]
    public void ProcessBlock_SteadyState_AllocatesNothing(double window, int channels)
    {
        var producer = new ScopeProducer(new ScopeOptions { WindowSeconds = window });
        ProducerFeeder.AssertProcessBlockAllocatesNothing(producer, new AudioFormat(Rate, channels));
    }
}
