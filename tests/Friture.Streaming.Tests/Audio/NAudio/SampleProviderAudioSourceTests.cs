using Friture.Streaming.Audio;
using Microsoft.Extensions.Time.Testing;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace Friture.Streaming.Tests.Audio.NAudio;

/// <summary>NAudio chains as sources, and the library's sources as NAudio sample providers.</summary>
public sealed class SampleProviderAudioSourceTests
{
    [Fact]
    public void Read_WaveFileReaderChain_DeliversTheFileThenEnds()
    {
        var samples = WaveInAudioSourceTests.Ramp(3_000 * 2);
        var stream = new MemoryStream();
        using (var writer = new WaveFileWriter(new IgnoreDisposeStream(stream), new WaveFormat(44_100, 24, 2)))
        {
            writer.WriteSamples(samples, 0, samples.Length);
        }

        stream.Position = 0;
        using var source = new SampleProviderAudioSource(new WaveFileReader(stream), "memory.wav", new SampleProviderSourceOptions { RealTime = false });
        Assert.Equal(new AudioFormat(44_100, 2), source.Format);
        source.Start();
        var block = new float[1_024 * 2];
        var got = new List<float>();
        AudioReadResult r;
        long next = 0;
        do
        {
            r = source.Read(block, CancellationToken.None);
            Assert.Equal(next, r.FirstFrameIndex);
            next += r.Frames;
            got.AddRange(block.AsSpan(0, r.Frames * 2).ToArray());
        }
        while (!r.EndOfStream);

        Assert.Equal(samples.Length, got.Count);
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.Equal(samples[i], got[i], 1.0f / 8_388_608);
        }
    }

    [Fact]
    public void Read_MixerOfTwoGenerators_CarriesBothTones()
    {
        var a = new SignalGenerator(48_000, 1) { Type = SignalGeneratorType.Sin, Frequency = 440, Gain = 0.25 };
        var b = new SignalGenerator(48_000, 1) { Type = SignalGeneratorType.Sin, Frequency = 1_000, Gain = 0.125 };
        var mixer = new MixingSampleProvider([a, b]);
        using var source = new SampleProviderAudioSource(mixer, "mixer", new SampleProviderSourceOptions { RealTime = false });
        source.Start();
        var block = new float[48_000];

        var r = source.Read(block, CancellationToken.None);

        Assert.Equal(new AudioReadResult(48_000, 0, false), r);
        Assert.Equal(0.25, SignalMeasures.ToneAmplitude(block, 440, 48_000), 0.002);
        Assert.Equal(0.125, SignalMeasures.ToneAmplitude(block, 1_000, 48_000), 0.002);
    }

    [Fact]
    public async Task Read_RealTime_IsPacedByTheTimeProvider()
    {
        var time = new FakeTimeProvider();
        var generator = new SignalGenerator(48_000, 1);
        using var source = new SampleProviderAudioSource(generator, "paced", new SampleProviderSourceOptions { TimeProvider = time });
        source.Start();
        var block = new float[4_800];
        var read = Task.Run(() => source.Read(block, CancellationToken.None), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken); // a negative check: a race can only hide a failure
        Assert.False(read.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(new AudioReadResult(4_800, 0, false), await read);
    }

    [Fact]
    public void Read_ChainThrows_AudioSourceExceptionNamesTheSource()
    {
        using var source = new SampleProviderAudioSource(new ThrowingProvider(), "broken chain", new SampleProviderSourceOptions { RealTime = false });
        source.Start();

        var ex = Assert.Throws<AudioSourceException>(() => source.Read(new float[64], CancellationToken.None));

        Assert.Contains("broken chain", ex.Message, StringComparison.Ordinal);
        Assert.Contains("decoder lost sync", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AudioSourceSampleProvider_GeneratorIntoNAudioResampler_ToneSurvivesTheNAudioGraph()
    {
        using var generator = new AudioSourceSampleProvider(new SignalGeneratorSource(new SignalGeneratorOptions
        {
            RealTime = false, FrequencyHz = 1_000, LevelDbfs = -6, Channels = 2, SampleRate = 48_000,
        }));
        Assert.Equal(WaveFormatEncoding.IeeeFloat, generator.WaveFormat.Encoding);
        Assert.Equal(2, generator.WaveFormat.Channels);
        var resampled = new WdlResamplingSampleProvider(generator, 44_100).ToMono();
        var buffer = new float[44_100];

        var n = resampled.Read(buffer);

        Assert.Equal(44_100, n);
        var steady = buffer.AsSpan(4_410, 35_280);
        Assert.Equal(1_000, SignalMeasures.ZeroCrossingFrequency(steady, 44_100), 0.05);
        Assert.Equal(Math.Pow(10, -6 / 20.0), SignalMeasures.ToneAmplitude(steady, 1_000, 44_100), 0.01);
    }

    [Fact]
    public void AudioSourceSampleProvider_FileSource_EndsWithZero()
    {
        var stream = WavFileSourceTests.Wav(new float[1_000], WavSampleFormat.Pcm16);
        using var provider = new AudioSourceSampleProvider(new WavFileSource(stream, "short.wav", new WavFileSourceOptions { RealTime = false }));
        var buffer = new float[768];

        Assert.Equal(768, provider.Read(buffer));
        Assert.Equal(232, provider.Read(buffer));
        Assert.Equal(0, provider.Read(buffer));
    }

    private sealed class ThrowingProvider : ISampleProvider
    {
        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(48_000, 1);

        public int Read(Span<float> buffer) => throw new InvalidDataException("decoder lost sync");
    }

    private sealed class IgnoreDisposeStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
