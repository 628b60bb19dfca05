using System.Text.Json;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Analyzers.Loudness;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Loudness;
using Friture.Streaming.RateLimiting;
using Friture.Streaming.Serialization;
using Friture.Streaming.Tests.Dsp.Loudness;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Analyzers.Loudness;

public sealed class LoudnessProducerTests
{
    private const int Rate = 48000;
    private static readonly AudioFormat Stereo = new(Rate, 2);

    [Fact]
    public void ExtractData_StereoSineAtMinus23Dbfs_ReadsMinus23LufsAndItsPeaks()
    {
        var producer = new LoudnessProducer();
        var feeder = new ProducerFeeder(producer, Stereo);
        feeder.Feed(10, ProducerFeeder.Sine(1000, Math.Pow(10, -23 / 20.0), Rate));
        var data = Assert.IsType<LoudnessData>(producer.ExtractData());

        // The standard's own 48 kHz filter reads -22.993 LUFS here (Tech 3341 case 1 asks -23.0 +- 0.1).
        Assert.Equal(-22.993, data.MomentaryLufs!.Value, 0.005);
        Assert.Equal(-22.993, data.ShortTermLufs!.Value, 0.005);
        Assert.Equal(-22.993, data.IntegratedLufs!.Value, 0.005);
        Assert.Equal(-22.993, data.MaxMomentaryLufs!.Value, 0.005);
        Assert.Equal(-22.993, data.MaxShortTermLufs!.Value, 0.005);
        Assert.Equal(0, data.LoudnessRangeLu!.Value, 0.01);
        Assert.Equal(-23.0, data.TruePeakDbtp!.Value, 0.01);
        Assert.Equal(-23.0, data.SamplePeakDbfs!.Value, 0.01);
        Assert.Equal(2, data.TruePeakDbtpPerChannel.Length);
        Assert.Equal(-23.0f, data.SamplePeakDbfsPerChannel[1]!.Value, 0.01f);
        Assert.Equal(feeder.Time, data.DurationSeconds, 1e-9);
    }

    [Fact]
    public void ExtractData_BeforeAnyBlockOrWindow_FieldsAreNull()
    {
        var producer = new LoudnessProducer();
        Assert.Null(producer.ExtractData());
        var feeder = new ProducerFeeder(producer, Stereo);
        feeder.Feed(0.2, (_, _) => 0f);
        var silent = Assert.IsType<LoudnessData>(producer.ExtractData());
        Assert.Null(silent.MomentaryLufs);
        Assert.Null(silent.ShortTermLufs);
        Assert.Null(silent.IntegratedLufs);
        Assert.Null(silent.LoudnessRangeLu);
        Assert.Null(silent.TruePeakDbtp);
        Assert.Null(silent.SamplePeakDbfs);
        Assert.Null(silent.MaxMomentaryLufs);
        Assert.Equal([null, null], silent.SamplePeakDbfsPerChannel);

        feeder.Feed(1, ProducerFeeder.Sine(1000, 0.1, Rate));
        var oneSecond = Assert.IsType<LoudnessData>(producer.ExtractData());
        Assert.NotNull(oneSecond.MomentaryLufs);
        Assert.Null(oneSecond.ShortTermLufs);
        Assert.NotNull(oneSecond.IntegratedLufs);
    }

    [Fact]
    public async Task ResetProgramme_FromAnotherThread_NextMessageStartsANewProgramme()
    {
        var producer = new LoudnessProducer();
        var feeder = new ProducerFeeder(producer, Stereo);
        feeder.Feed(5, ProducerFeeder.Sine(1000, 0.5, Rate));
        await Task.Run(producer.ResetProgramme, TestContext.Current.CancellationToken);
        var reset = Assert.IsType<LoudnessData>(producer.ExtractData());
        Assert.Equal(0, reset.DurationSeconds);
        Assert.Null(reset.IntegratedLufs);
        Assert.Null(reset.TruePeakDbtp);

        feeder.Feed(5, ProducerFeeder.Sine(1000, 0.05, Rate));
        var quieter = Assert.IsType<LoudnessData>(producer.ExtractData());
        Assert.Equal(20 * Math.Log10(0.05) + 0.007, quieter.IntegratedLufs!.Value, 0.02);
        Assert.Equal(20 * Math.Log10(0.05), quieter.SamplePeakDbfs!.Value, 0.01);
        Assert.InRange(quieter.DurationSeconds, 4.99, 5.02);
    }

    [Theory]
    [InlineData(44100, 1)]
    [InlineData(48000, 2)]
    [InlineData(96000, 2)]
    [InlineData(48000, 6)]
    [InlineData(22050, 5)]
    public void ProcessBlock_SteadyState_AllocatesNothing(int rate, int channels) =>
        ProducerFeeder.AssertProcessBlockAllocatesNothing(new LoudnessProducer(), new AudioFormat(rate, channels));

    [Fact]
    public void ProcessBlock_BlocksLargerThanTheInnerChunk_AllocateNothing() =>
        ProducerFeeder.AssertProcessBlockAllocatesNothing(new LoudnessProducer(), Stereo, blocks: 20, blockFrames: 5000);

    [Fact]
    public void Options_CustomWeights_ReplaceTheLayoutDefaults()
    {
        // Three channels weighted 1, 0, 0: the loudness of channel 1 alone, as a mono meter reads it.
        var producer = new LoudnessProducer(new LoudnessOptions { ChannelWeights = [1.0, 0.0, 0.0] });
        var feeder = new ProducerFeeder(producer, new AudioFormat(Rate, 3));
        feeder.Feed(5, (n, c) => (float)((c + 1) * 0.1 * Math.Sin(2 * Math.PI * 1000 * n / Rate)));
        var data = Assert.IsType<LoudnessData>(producer.ExtractData());
        Assert.Equal(20 * Math.Log10(0.1) - 3.01 + 0.007, data.IntegratedLufs!.Value, 0.02);
        Assert.Equal(20 * Math.Log10(0.3), data.SamplePeakDbfs!.Value, 0.01);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(11.0)]
    public void Options_BadWeight_ErrorNamesTheOptionAndTheRange(double weight)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LoudnessProducer(new LoudnessOptions { ChannelWeights = [1.0, weight] }));
        Assert.Contains("ChannelWeights[1]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("between 0 and 10", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(20)]
    public void Options_BadRangeBlockRate_ErrorNamesTheOptionAndTheChoices(int rate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LoudnessProducer(new LoudnessOptions { RangeBlocksPerSecond = rate }));
        Assert.Equal(nameof(LoudnessOptions.RangeBlocksPerSecond), error.ParamName);
        Assert.Contains("libebur128", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(1, 10)]
    public void Options_RangeBlocksPerSecond_RangeEqualsTheMeterWithThatStep(int blocksPerSecond, int stepsOf100Ms)
    {
        // A programme whose level changes every 1.3 s, so the short-term blocks' positions matter for the range.
        Span<double> weights = stackalloc double[2];
        ChannelWeights.Standard(weights);
        var meter = new LoudnessMeter(Rate, weights, rangeStepSteps: stepsOf100Ms);
        var producer = new LoudnessProducer(new LoudnessOptions { RangeBlocksPerSecond = blocksPerSecond });
        var feeder = new ProducerFeeder(producer, Stereo);
        var block = new float[feeder.BlockFrames * 2];
        for (var b = 0; b < Rate * 40 / feeder.BlockFrames; b++)
        {
            for (var i = 0; i < feeder.BlockFrames; i++)
            {
                var n = feeder.FramePosition + i;
                var level = (n / (Rate * 13 / 10)) % 3 switch { 0 => 0.5, 1 => 0.05, _ => 0.15 };
                block[2 * i] = block[(2 * i) + 1] = (float)(level * Math.Sin(2 * Math.PI * 1000 * n / Rate));
            }

            meter.Process(block);
            feeder.FeedBlock(block);
        }

        var data = Assert.IsType<LoudnessData>(producer.ExtractData());
        Assert.NotNull(meter.LoudnessRangeLu);
        Assert.Equal(meter.LoudnessRangeLu.Value, data.LoudnessRangeLu!.Value, 1e-9);
    }

    [Fact]
    public void Json_FieldNames_AreTheContractsSnakeCaseNames()
    {
        var json = StreamingJson.SerializePayload(DataType.Loudness, new LoudnessData
        {
            MomentaryLufs = -20.5,
            DurationSeconds = 3,
            TruePeakDbtpPerChannel = [-1.5f, null],
            SamplePeakDbfsPerChannel = [-2f, null],
        });
        using var document = JsonDocument.Parse(json);
        string[] names =
        [
            "momentary_lufs", "short_term_lufs", "integrated_lufs", "loudness_range_lu", "true_peak_dbtp", "sample_peak_dbfs",
            "max_momentary_lufs", "max_short_term_lufs", "duration_s", "true_peak_dbtp_per_channel", "sample_peak_dbfs_per_channel",
        ];
        Assert.Equal(names, document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("integrated_lufs").ValueKind);
        Assert.Equal(-20.5, document.RootElement.GetProperty("momentary_lufs").GetDouble());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("true_peak_dbtp_per_channel")[1].ValueKind);
        Assert.Equal("loudness", DataType.Loudness.Name);
        Assert.Same(DataType.Loudness, DataType.Parse("loudness"));
    }

    [Fact]
    public void BinaryFrame_RealPayload_RoundTripsExactly()
    {
        var producer = new LoudnessProducer();
        var feeder = new ProducerFeeder(producer, Stereo);
        feeder.Feed(4, ProducerFeeder.Sine(997, 0.3, Rate, channel: 0));
        var payload = Assert.IsType<LoudnessData>(producer.ExtractData());
        var message = new StreamingData(new StreamingMetadata { DataType = DataType.Loudness, Timestamp = DateTimeOffset.UnixEpoch }, payload);
        var back = BinaryFrame.Read(BinaryFrame.ToArray(message));
        Assert.Equal(StreamingJson.Serialize(message), StreamingJson.Serialize(back));
        Assert.Null(Assert.IsType<LoudnessData>(back.Data).SamplePeakDbfsPerChannel[1]);
    }

    [Fact]
    public async Task Engine_DefaultProducersAndRateLimit_PublishLoudnessAt10Hz()
    {
        Assert.Equal(10, RateLimiter.DefaultRates[DataType.Loudness]);
        var time = new FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = time });
        var producers = api.RegisterDefaultProducers();
        Assert.Contains(producers, p => p is LoudnessProducer);
        var queue = new QueueConsumer();
        api.RegisterConsumer(DataType.Loudness, queue);
        var block = LoudnessSignals.Segments(Rate, 2, (512.0 / Rate, -20));
        long frame = 0;

        // 2 s of audio in 512-frame blocks while the fake clock advances by the audio's duration: 20 tokens plus the
        // burst of 2.
        for (var i = 0; i < 2 * Rate / 512; i++)
        {
            api.ProcessAudioBlock(new AudioBlock(block, Stereo, frame));
            frame += 512;
            time.Advance(TimeSpan.FromSeconds(512.0 / Rate));
        }

        Assert.InRange(queue.Count, 19, 23);
        var last = default(StreamingData);
        while (queue.GetData(TimeSpan.Zero) is { } data)
        {
            last = data;
        }

        Assert.Equal("loudness", last!.DataType.Name);
        Assert.NotNull(Assert.IsType<LoudnessData>(last.Data).MomentaryLufs);
    }
}
