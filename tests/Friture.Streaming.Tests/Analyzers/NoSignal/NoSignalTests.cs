using System.Collections.Concurrent;
using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Serialization;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Analyzers.NoSignal;

/// <summary>
/// Honest edges: silence, no coherent signal and a mono input give <c>null</c> (not sentinel numbers such as a delay of
/// -1000 ms or a peak at -200 dBFS), a mono input makes the delay estimator inactive with one message and no errors, and
/// the demo signal carries a delay the estimator reads truthfully.
/// </summary>
public sealed class NoSignalTests
{
    [Fact]
    public async Task DelayEstimator_MonoInput_OneInactiveMessageAndNoErrors()
    {
        await using var api = new StreamingApi();
        using var generator = new SignalGeneratorSource(new SignalGeneratorOptions { Waveform = SignalWaveform.WhiteNoise, Channels = 1, RealTime = false, Seed = 1 });
        var received = new ConcurrentQueue<DelayEstimatorData>();
        var errors = new ConcurrentQueue<string>();
        var levels = 0;
        api.ErrorOccurred += (_, e) => errors.Enqueue(e.Message);
        api.RegisterProducer(new DelayEstimatorProducer(new DelayEstimatorOptions { MaxDelayMs = 10 }));
        api.RegisterProducer(new Friture.Streaming.Analyzers.Levels.LevelsProducer());
        api.RegisterConsumer(DataType.DelayEstimator, new CallbackConsumer(d => received.Enqueue((DelayEstimatorData)d.Data)));
        api.RegisterConsumer(DataType.Levels, new CallbackConsumer(_ => Interlocked.Increment(ref levels)));
        api.SetAudioSource(generator);

        await api.StartStreamingAsync(TestContext.Current.CancellationToken);
        // Hundreds of blocks: before, every one of them failed with a stack trace.
        await Wait.UntilAsync(() => Volatile.Read(ref levels) >= 300, "300 level messages");
        await api.StopStreamingAsync();

        Assert.Empty(errors);
        var only = Assert.Single(received);
        Assert.Null(only.DelayMs);
        Assert.Null(only.DistanceM);
        Assert.Equal(Polarity.Unknown, only.Polarity);
        Assert.Contains("the input has 1 channel;", only.InactiveReason, StringComparison.Ordinal);
        Assert.Contains("--channels 2", only.InactiveReason, StringComparison.Ordinal);
    }

    [Fact]
    public void DelayEstimator_DigitalSilence_NullDelayNotTheRangeEdge()
    {
        var producer = new DelayEstimatorProducer(new DelayEstimatorOptions { MaxDelayMs = 10 });
        var feeder = new ProducerFeeder(producer, new AudioFormat(48000, 2));
        Assert.True(feeder.Feed(0.2, static (_, _) => 0f));

        var data = Assert.IsType<DelayEstimatorData>(producer.ExtractData());

        Assert.Null(data.DelayMs);
        Assert.Null(data.DelaySamples);
        Assert.Null(data.DistanceM);
        Assert.Null(data.CorrelationPeak);
        Assert.Null(data.InactiveReason);
        Assert.Equal(0, data.Confidence);
        Assert.Equal(Polarity.Unknown, data.Polarity);
        var json = StreamingJson.SerializePayload(DataType.DelayEstimator, data);
        Assert.Contains("\"delay_ms\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"distance_m\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FftSpectrum_DigitalSilence_NullPeak()
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 1024, ResponseTime = 0 });
        var feeder = new ProducerFeeder(producer, new AudioFormat(48000, 1));
        feeder.Feed(0.1, static (_, _) => 0f);

        var data = Assert.IsType<FftSpectrumData>(producer.ExtractData());

        Assert.Null(data.PeakFrequency);
        Assert.Null(data.PeakMagnitude);
        Assert.Contains("\"peak_frequency\":null", StreamingJson.SerializePayload(DataType.FftSpectrum, data), StringComparison.Ordinal);
    }

    [Fact]
    public void FftSpectrum_QuietSine_PeakAboveTheFloorIsReported()
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096, ResponseTime = 0 });
        var feeder = new ProducerFeeder(producer, new AudioFormat(48000, 1));
        feeder.Feed(0.2, ProducerFeeder.Sine(1000, 1e-6, 48000)); // -120 dBFS

        var data = Assert.IsType<FftSpectrumData>(producer.ExtractData());

        Assert.Equal(1000, Assert.NotNull(data.PeakFrequency), 1.0);
        Assert.InRange(Assert.NotNull(data.PeakMagnitude), -121, -119);
    }

    [Fact]
    public async Task DemoSignal_DelayEstimator_ReadsTheStatedDelayInPhase()
    {
        // The demo waveform: a tone over pink noise with bursts, channel 2 one millisecond (48 samples) late.
        await using var api = new StreamingApi();
        using var generator = new SignalGeneratorSource(new SignalGeneratorOptions
        {
            Waveform = SignalWaveform.Demo, FrequencyHz = 440, LevelDbfs = -12, Channels = 2, InterChannelDelaySeconds = 0.001, RealTime = false, Seed = 7,
        });
        var received = new ConcurrentQueue<DelayEstimatorData>();
        api.RegisterProducer(new DelayEstimatorProducer(new DelayEstimatorOptions { MaxDelayMs = 10 }));
        api.RegisterConsumer(DataType.DelayEstimator, new CallbackConsumer(d => received.Enqueue((DelayEstimatorData)d.Data)));
        api.SetAudioSource(generator);

        await api.StartStreamingAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => received.Count >= 20, "twenty delay estimates");
        await api.StopStreamingAsync();

        // Every estimate, bursts or not: the pink-noise floor alone carries the delay.
        foreach (var estimate in received.Take(20).Skip(2))
        {
            Assert.Equal(1.0, Assert.NotNull(estimate.DelayMs), tolerance: 0.05);
            Assert.Equal(Polarity.InPhase, estimate.Polarity);
            Assert.True(estimate.Confidence > 0.3, $"confidence {estimate.Confidence:F2}");
        }
    }

    [Fact]
    public void DemoSignal_Options_ValidatedLikeTheSine()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SignalGeneratorSource(new SignalGeneratorOptions { Waveform = SignalWaveform.Demo, FrequencyHz = 30000 }));
        Assert.Contains("FrequencyHz", ex.Message, StringComparison.Ordinal);
    }
}
