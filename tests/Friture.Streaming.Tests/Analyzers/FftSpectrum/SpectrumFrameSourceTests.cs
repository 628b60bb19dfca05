using Friture.Streaming.Analyzers;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Windows;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Analyzers.FftSpectrum;

public sealed class SpectrumFrameSourceTests
{
    private const int Rate = 48000;
    private static readonly AudioFormat Stereo = new(Rate, 2);

    [Fact]
    public void SharedSource_FftAndSpectrogram_ComputeEachFrameOnceWithSameResults()
    {
        var frames = new SpectrumFrameSource(1024, 0.75, WindowType.Hann);
        var fft = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 1024, ResponseTime = 0 }, frames);
        var spectrogram = new SpectrogramProducer(new SpectrogramOptions { FftSize = 1024 }, frames);
        var privateFft = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 1024, ResponseTime = 0 });
        var privateSpectrogram = new SpectrogramProducer(new SpectrogramOptions { FftSize = 1024 });
        var producers = new Friture.Streaming.Producers.DataProducer[] { fft, spectrogram, privateFft, privateSpectrogram };
        foreach (var p in producers)
        {
            p.Initialize(Stereo);
        }

        var samples = new float[512 * 2];
        long frame = 0;
        for (var b = 0; b < 40; b++)
        {
            for (var i = 0; i < 512; i++)
            {
                samples[2 * i] = (float)Math.Sin(2 * Math.PI * 3000 * (frame + i) / Rate);
            }

            var block = new AudioBlock(samples, Stereo, frame);
            var results = new bool[producers.Length];
            for (var p = 0; p < producers.Length; p++)
            {
                results[p] = producers[p].ProcessBlock(block);
            }

            Assert.Equal(results[2], results[0]);
            Assert.Equal(results[3], results[1]);
            frame += 512;
        }

        // 40 blocks of 512 = 20480 samples: (20480 - 1024) / 256 + 1 = 77 frames, computed once for both sharing producers.
        Assert.Equal(77, frames.FramesComputed);
        Assert.Equal(77, privateFft.FrameSource.FramesComputed);
        Assert.Equal(((FftSpectrumData)privateFft.ExtractData()!).MagnitudesDb, ((FftSpectrumData)fft.ExtractData()!).MagnitudesDb);
        Assert.Equal(((SpectrogramData)privateSpectrogram.ExtractData()!).MagnitudesDb, ((SpectrogramData)spectrogram.ExtractData()!).MagnitudesDb);
    }

    [Fact]
    public void Constructor_SourceWithOtherSize_ThrowsNamingFrames()
    {
        var frames = new SpectrumFrameSource(2048, 0.75, WindowType.Hann);
        var ex = Assert.Throws<ArgumentException>(() => new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096 }, frames));
        Assert.Equal("frames", ex.ParamName);
        Assert.Throws<ArgumentException>(() => new SpectrogramProducer(new SpectrogramOptions { FftSize = 2048, Channel = ChannelSelection.MonoSum }, frames));
    }

    [Fact]
    public void Process_GapInAudioClock_RestartsFrameBuffer()
    {
        var producer = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 1024, Overlap = 0 });
        var feeder = new ProducerFeeder(producer, new AudioFormat(Rate, 1));
        feeder.FeedBlock((_, _) => 1f);
        Assert.Equal(0, producer.FrameSource.FramesComputed);

        // The next block starts 10000 frames later: the 512 samples before the gap must not be joined to those after it.
        var samples = new float[512];
        Assert.False(producer.ProcessBlock(new AudioBlock(samples, new AudioFormat(Rate, 1), 10_512)));
        Assert.Equal(0, producer.FrameSource.FramesComputed);
        Assert.True(producer.ProcessBlock(new AudioBlock(samples, new AudioFormat(Rate, 1), 11_024)));
        Assert.Equal(Decibels.Floor, ((FftSpectrumData)producer.ExtractData()!).MagnitudesDb[0]);
    }

    [Fact]
    public void ProcessBlock_SharedSourceSteadyState_AllocatesNothing()
    {
        var frames = new SpectrumFrameSource(4096, 0.75, WindowType.Hann, channel: ChannelSelection.MonoSum);
        var fft = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096, Channel = ChannelSelection.MonoSum }, frames);
        var spectrogram = new SpectrogramProducer(new SpectrogramOptions { FftSize = 4096, Channel = ChannelSelection.MonoSum, Weighting = Friture.Streaming.Dsp.Weighting.FrequencyWeighting.A }, frames);
        fft.Initialize(Stereo);
        spectrogram.Initialize(Stereo);
        var samples = new float[1024];
        new Random(2).NextBytes(new byte[1]);
        long frame = 0;
        for (var i = 0; i < 50; i++)
        {
            var block = new AudioBlock(samples, Stereo, frame);
            fft.ProcessBlock(block);
            spectrogram.ProcessBlock(block);
            frame += 512;
        }

        Allocations.AssertSteadyStateAllocatesNothing(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                var block = new AudioBlock(samples, Stereo, frame);
                fft.ProcessBlock(block);
                spectrogram.ProcessBlock(block);
                frame += 512;
            }
        });
    }
}
