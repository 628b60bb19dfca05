using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Analyzers;

[Collection(NonParallel.Name)]
public sealed class SpectrumAnalyzersEngineTests
{
    [Fact]
    public async Task RegisterProducer_FourAnalyzersWithConsumers_EachPublishesCorrectPayloads()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.RegisterProducer(new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096 }));
        api.RegisterProducer(new SpectrogramProducer());
        api.RegisterProducer(new ScopeProducer());
        api.RegisterProducer(new LevelsProducer());
        var queues = new Dictionary<DataType, QueueConsumer>();
        foreach (var type in new[] { DataType.FftSpectrum, DataType.Spectrogram, DataType.Scope, DataType.Levels })
        {
            api.SetRateLimit(type, 0);
            queues[type] = new QueueConsumer(maxQueueSize: 10_000);
            api.RegisterConsumer(type, queues[type]);
        }

        var format = new AudioFormat(48_000, 2);
        var samples = new float[512 * 2];
        long frame = 0;
        for (var b = 0; b < 100; b++)
        {
            for (var i = 0; i < 512; i++)
            {
                var v = (float)Math.Sin(2 * Math.PI * 1000 * (frame + i) / 48_000.0);
                samples[2 * i] = v;
                samples[(2 * i) + 1] = 0.5f * v;
            }

            Blocks.Feed(api, samples, format, ref frame);
        }

        await api.FlushAsync();
        var fft = Last<FftSpectrumData>(queues[DataType.FftSpectrum]);
        Assert.Equal(1000, Assert.NotNull(fft.PeakFrequency), 0.5);
        Assert.InRange(Assert.NotNull(fft.PeakMagnitude), -0.1, 0.1);
        var levels = Last<LevelsData>(queues[DataType.Levels]);
        Assert.InRange(levels.LeqLevelsDb[0], -3.06f, -2.96f);
        Assert.InRange(levels.PeakLevelsDb[1], -6.05f, -6.0f);
        Assert.True(Last<ScopeData>(queues[DataType.Scope]).Triggered);
        Assert.Equal(512, Last<SpectrogramData>(queues[DataType.Spectrogram]).MagnitudesDb.Length);
    }

    [Fact]
    public async Task RegisterProducer_SpectrumAndSpectrogramWithTheSameFrames_ShareOneFftPerFrame()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        var spectrum = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096 });
        var spectrogram = new SpectrogramProducer(); // 4096, 0.75, Hann, channel 1 by default
        var other = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096, Channel = Streaming.Analyzers.ChannelSelection.FromChannel(2) }, producerId: "right");
        Assert.NotSame(spectrum.FrameSource, spectrogram.FrameSource);

        api.RegisterProducer(spectrum);
        api.RegisterProducer(spectrogram);
        api.RegisterProducer(other);

        Assert.Same(spectrum.FrameSource, spectrogram.FrameSource);
        Assert.NotSame(spectrum.FrameSource, other.FrameSource); // another channel, other frames
        var fft = new QueueConsumer(maxQueueSize: 10_000);
        var columns = new QueueConsumer(maxQueueSize: 10_000);
        api.SetRateLimit(DataType.FftSpectrum, 0);
        api.SetRateLimit(DataType.Spectrogram, 0);
        api.RegisterConsumer(DataType.FftSpectrum, fft);
        api.RegisterConsumer(DataType.Spectrogram, columns);
        var format = new AudioFormat(48_000, 2);
        var samples = new float[512 * 2];
        long frame = 0;
        for (var b = 0; b < 80; b++)
        {
            for (var i = 0; i < 512; i++)
            {
                samples[2 * i] = (float)Math.Sin(2 * Math.PI * 1000 * (frame + i) / 48_000.0);
            }

            Blocks.Feed(api, samples, format, ref frame);
        }

        await api.FlushAsync();

        // 80 blocks of 512 = 40960 samples: (40960 - 4096) / 1024 + 1 = 37 frames, each transformed once for both.
        Assert.Equal(37, spectrum.FrameSource.FramesComputed);
        Assert.Equal(1000, Assert.NotNull(Last<FftSpectrumData>(fft, spectrum.ProducerId).PeakFrequency), 0.5);
        Assert.Equal(512, Last<SpectrogramData>(columns).MagnitudesDb.Length);
    }

    [Fact]
    public async Task Spectrogram_RateLimitedTo25PerSecond_TransformsOnlyThePublishedColumns()
    {
        var clock = new FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = clock });
        var spectrogram = new SpectrogramProducer(); // 4096 / 0.75: a column every 1024 samples, 46.9 per second
        api.RegisterProducer(spectrogram);
        var columns = new QueueConsumer(maxQueueSize: 10_000);
        api.RegisterConsumer(DataType.Spectrogram, columns); // default rate limit: 25 per second
        var format = new AudioFormat(48_000, 2);
        var samples = new float[512 * 2];
        long frame = 0;
        var published = new List<SpectrogramData>();
        for (var b = 0; b < 470; b++) // 5 s
        {
            for (var i = 0; i < 512; i++)
            {
                samples[2 * i] = (float)Math.Sin(2 * Math.PI * 2000 * (frame + i) / 48_000.0);
            }

            Blocks.Feed(api, samples, format, ref frame);
            clock.Advance(TimeSpan.FromSeconds(512 / 48_000.0));
        }

        await api.FlushAsync();
        while (columns.TryGetData(out var data))
        {
            published.Add(Assert.IsType<SpectrogramData>(data.Data));
        }

        // 235 frames were captured; only the ~125 published columns were transformed.
        Assert.InRange(published.Count, 115, 135);
        Assert.Equal(published.Count, spectrogram.FrameSource.FramesComputed);
        var peak = published[^1].MagnitudesDb.IndexOf(published[^1].MagnitudesDb.Max());
        Assert.Equal(2000, published[^1].Frequencies[peak], 2000 * 0.05); // the column is the tone's, not a stale one
    }

    private static T Last<T>(QueueConsumer queue, string? producerId = null)
        where T : StreamingPayload
    {
        StreamingPayload? last = null;
        while (queue.TryGetData(out var data))
        {
            if (producerId is null || data.Metadata.ProducerId == producerId)
            {
                last = data.Data;
            }
        }

        return Assert.IsType<T>(last);
    }
}
