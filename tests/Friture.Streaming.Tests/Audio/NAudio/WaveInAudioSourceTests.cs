using System.Buffers.Binary;
using System.Collections.Concurrent;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Recording;
using Friture.Streaming.Tests.Support;
using NAudio.Wave;

namespace Friture.Streaming.Tests.Audio.NAudio;

/// <summary>The capture loop over an NAudio <see cref="IWaveIn"/>: every device format to float blocks on the audio clock, failures reported naming the device.</summary>
public sealed class WaveInAudioSourceTests
{
    private static readonly Guid PcmSubFormat = new("00000001-0000-0010-8000-00aa00389b71");
    private static readonly Guid FloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");

    public static TheoryData<string> Formats() => ["pcm16", "pcm24", "pcm32", "float32", "ext-pcm16", "ext-pcm24", "ext-float32", "pcm8", "float64"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Read_EveryDeviceFormat_DecodesToFloatWithinOneQuantisationStep(string kind)
    {
        var (format, bits, isFloat) = Make(kind, 48_000, 2);
        var wave = new FakeWaveIn(format);
        using var source = new WaveInAudioSource(wave, "Fake mic");
        Assert.Equal(new AudioFormat(48_000, 2), source.Format);
        Assert.False(source.IsResampling);
        source.Start();
        var expected = Ramp(1_000 * 2);
        var bytes = Encode(expected, bits, isFloat);

        // Two callbacks that split a frame in the middle: the partial frame is carried over.
        var cut = (bytes.Length / 2) + 1;
        wave.Deliver(bytes[..cut], cut);
        wave.Deliver(bytes[cut..], bytes.Length - cut);
        var block = new float[1_000 * 2];
        var result = source.Read(block, TestContext.Current.CancellationToken);

        Assert.Equal(new AudioReadResult(1_000, 0, false), result);
        var step = isFloat ? 1e-6 : 0.5001 / (1L << (bits - 1));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(block[i] - expected[i]) <= step, $"{kind}: sample {i} is {block[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void Read_TwoReads_TheAudioClockCountsFramesFromStart()
    {
        var wave = new FakeWaveIn(WaveFormat.CreateIeeeFloatWaveFormat(48_000, 1));
        using var source = new WaveInAudioSource(wave, "Fake mic");
        source.Start();
        var bytes = Encode(Ramp(960), 32, isFloat: true);
        wave.Deliver(bytes, bytes.Length);

        var block = new float[480];
        Assert.Equal(new AudioReadResult(480, 0, false), source.Read(block, TestContext.Current.CancellationToken));
        Assert.Equal(new AudioReadResult(480, 480, false), source.Read(block, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Read_DeviceAtAnotherRate_IsResampledToTheRequestedRate()
    {
        var wave = new FakeWaveIn(new WaveFormat(44_100, 16, 1));
        using var source = new WaveInAudioSource(wave, "Fake mic", new NAudioCaptureOptions { SampleRate = 48_000 });
        Assert.Equal(48_000, source.Format.SampleRate);
        Assert.True(source.IsResampling);
        source.Start();
        var tone = new float[44_100];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 1_000 * i / 44_100.0));
        }

        var bytes = Encode(tone, 16, isFloat: false);
        wave.Deliver(bytes, bytes.Length);
        var block = new float[38_400];
        var result = source.Read(block, TestContext.Current.CancellationToken);

        Assert.Equal(38_400, result.Frames);
        var steady = block.AsSpan(4_800, 28_800); // 0.6 s = 600 periods of 1 kHz at 48 kHz
        Assert.Equal(1_000, SignalMeasures.ZeroCrossingFrequency(steady, 48_000), 0.05);
        Assert.Equal(0.5, SignalMeasures.ToneAmplitude(steady, 1_000, 48_000), 0.005);
    }

    [Fact]
    public void Read_RecordingStoppedWithAnException_ThrowsAudioSourceExceptionNamingTheDevice()
    {
        var wave = new FakeWaveIn(new WaveFormat(48_000, 16, 2));
        using var source = new WaveInAudioSource(wave, "USB Microphone");
        source.Start();
        var reader = Task.Run(() => source.Read(new float[512], CancellationToken.None), TestContext.Current.CancellationToken);

        wave.Fail(new InvalidOperationException("the device was unplugged"));

        var ex = Assert.Throws<AudioSourceException>(() => reader.GetAwaiter().GetResult());
        Assert.Contains("USB Microphone", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unplugged", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnsupportedEncoding_NamesTheDeviceAndWhatIsDecoded()
    {
        var wave = new FakeWaveIn(WaveFormat.CreateALawFormat(8_000, 1));

        var ex = Assert.Throws<AudioSourceException>(() => new WaveInAudioSource(wave, "Phone line"));

        Assert.Contains("Phone line", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PCM 8/16/24/32-bit and IEEE float", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamingApi_DeviceFailsMidStream_ErrorNamesTheDeviceAndAnotherSourceCanBeSet()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { BlockSize = 480 });
        var errors = new ConcurrentQueue<StreamingErrorEventArgs>();
        api.ErrorOccurred += (_, e) => errors.Enqueue(e);
        var received = new ConcurrentQueue<StreamingData>();
        api.RegisterProducer(new RawAudioProducer());
        api.RegisterConsumer(RawAudioProducer.RawAudio, new CallbackConsumer(received.Enqueue));
        var wave = new FakeWaveIn(new WaveFormat(48_000, 24, 2));
        using var device = new WaveInAudioSource(wave, "Line In (Realtek)");
        api.SetAudioSource(device);

        await api.StartStreamingAsync(TestContext.Current.CancellationToken);
        var bytes = Encode(Ramp(480 * 2 * 3), 24, isFloat: false);
        wave.Deliver(bytes, bytes.Length);
        await Wait.UntilAsync(() => received.Count >= 3, "three blocks from the device");
        wave.Fail(new InvalidOperationException("exclusive mode was taken by another program"));
        await Wait.UntilAsync(() => errors.Any(e => e.ErrorType == StreamingErrorType.AudioSourceFailed), "the device failure");
        await api.StopStreamingAsync();

        var failure = errors.First(e => e.ErrorType == StreamingErrorType.AudioSourceFailed);
        Assert.Contains("Line In (Realtek)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("exclusive mode", failure.Message, StringComparison.Ordinal);
        var chunks = received.Select(m => Assert.IsType<AudioChunkData>(m.Data)).ToArray();
        Assert.Equal([0L, 480L, 960L], chunks.Select(c => c.FirstFrameIndex));

        using var generator = new SignalGeneratorSource(new SignalGeneratorOptions { RealTime = false });
        api.SetAudioSource(generator);
        var before = received.Count;
        await api.StartStreamingAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => received.Count >= before + 20, "messages from the second source");
        await api.StopStreamingAsync();
    }

    [Fact]
    public void Dispose_DisposesTheRecorderAndStopsIt()
    {
        var wave = new FakeWaveIn(new WaveFormat(48_000, 16, 1));
        var source = new WaveInAudioSource(wave, "Fake mic");
        source.Start();
        Assert.True(wave.Recording);

        source.Dispose();

        Assert.False(wave.Recording);
        Assert.True(wave.Disposed);
    }

    internal static float[] Ramp(int samples)
    {
        var x = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            x[i] = (float)(0.9 * Math.Sin(i * 0.0137) * (i % 2 == 0 ? 1 : -0.5));
        }

        return x;
    }

    internal static byte[] Encode(float[] samples, int bits, bool isFloat)
    {
        var size = bits / 8;
        var bytes = new byte[samples.Length * size];
        for (var i = 0; i < samples.Length; i++)
        {
            var at = bytes.AsSpan(i * size, size);
            var v = samples[i];
            switch ((bits, isFloat))
            {
                case (32, true): BinaryPrimitives.WriteSingleLittleEndian(at, v); break;
                case (64, true): BinaryPrimitives.WriteDoubleLittleEndian(at, v); break;
                case (8, false): at[0] = (byte)(Math.Clamp(Math.Round(v * 128), -128, 127) + 128); break;
                case (16, false): BinaryPrimitives.WriteInt16LittleEndian(at, (short)Math.Clamp(Math.Round(v * 32768), -32768, 32767)); break;
                case (24, false):
                    var s = (int)Math.Clamp(Math.Round(v * 8_388_608), -8_388_608, 8_388_607);
                    at[0] = (byte)s; at[1] = (byte)(s >> 8); at[2] = (byte)(s >> 16);
                    break;
                default: BinaryPrimitives.WriteInt32LittleEndian(at, (int)Math.Clamp(Math.Round(v * 2_147_483_648.0), int.MinValue, int.MaxValue)); break;
            }
        }

        return bytes;
    }

    private static (WaveFormat Format, int Bits, bool IsFloat) Make(string kind, int rate, int channels) => kind switch
    {
        "pcm8" => (new WaveFormat(rate, 8, channels), 8, false),
        "pcm16" => (new WaveFormat(rate, 16, channels), 16, false),
        "pcm24" => (new WaveFormat(rate, 24, channels), 24, false),
        "pcm32" => (new WaveFormat(rate, 32, channels), 32, false),
        "float32" => (WaveFormat.CreateIeeeFloatWaveFormat(rate, channels), 32, true),
        "float64" => (WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, rate, channels, rate * channels * 8, channels * 8, 64), 64, true),
        "ext-pcm16" => (new WaveFormatExtensible(rate, 16, channels, PcmSubFormat, 16, 3), 16, false),
        "ext-pcm24" => (new WaveFormatExtensible(rate, 24, channels, PcmSubFormat, 24, 3), 24, false),
        _ => (new WaveFormatExtensible(rate, 32, channels, FloatSubFormat, 32, 3), 32, true),
    };
}
