using Friture.Streaming.Audio;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Audio;

public sealed class WavFileSourceTests
{
    [Fact]
    public void Read_Loop_RestartsTheFileAndTheClockKeepsCounting()
    {
        var samples = Enumerable.Range(0, 100).Select(i => i / 128f).ToArray();
        using var source = new WavFileSource(Wav(samples, WavSampleFormat.Pcm8), "loop.wav", new WavFileSourceOptions { RealTime = false, Loop = true });
        source.Start();
        var block = new float[64];

        var results = Enumerable.Range(0, 4).Select(_ => (source.Read(block, CancellationToken.None), block[0])).ToArray();

        Assert.Equal([(new AudioReadResult(64, 0, false), 0f), (new AudioReadResult(64, 64, false), 64 / 128f),
            (new AudioReadResult(64, 128, false), 28 / 128f), (new AudioReadResult(64, 192, false), 92 / 128f)], results);
    }

    [Fact]
    public void Read_NoLoop_LastBlockIsShortAndFlagsEndOfStream()
    {
        using var source = new WavFileSource(Wav(new float[100], WavSampleFormat.Pcm16), "end.wav", new WavFileSourceOptions { RealTime = false });
        source.Start();
        var block = new float[64];

        Assert.Equal(new AudioReadResult(64, 0, false), source.Read(block, CancellationToken.None));
        Assert.Equal(new AudioReadResult(36, 64, true), source.Read(block, CancellationToken.None));
        Assert.Equal(new AudioReadResult(0, 100, true), source.Read(block, CancellationToken.None));
    }

    [Fact]
    public async Task Read_RealTime_IsPacedByTheTimeProvider()
    {
        var time = new FakeTimeProvider();
        using var source = new WavFileSource(Wav(new float[48_000], WavSampleFormat.IeeeFloat32), "paced.wav",
            new WavFileSourceOptions { TimeProvider = time });
        source.Start();
        var block = new float[4_800];
        var read = Task.Run(() => source.Read(block, CancellationToken.None), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken); // a negative check: a race can only hide a failure
        Assert.False(read.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(new AudioReadResult(4_800, 0, false), await read);
        Assert.Equal(48_000, source.Format.SampleRate);
    }

    [Fact]
    public async Task Read_RealTimeReaderFallsBehind_HoldsTheClockBackAndSkipsNothing()
    {
        var time = new FakeTimeProvider();
        var samples = new float[48_000 * 3];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = i;
        }

        using var source = new WavFileSource(Wav(samples, WavSampleFormat.IeeeFloat32), "lag.wav",
            new WavFileSourceOptions { TimeProvider = time, MaxLagSeconds = 0.1 });
        source.Start();
        time.Advance(TimeSpan.FromSeconds(1));
        var block = new float[480];

        // Late by 1 s: the file continues where it was, and the reader may catch up by the allowed lag (0.1 s) at once.
        long next = 0;
        for (var i = 0; i < 10; i++)
        {
            var r = source.Read(block, CancellationToken.None);
            Assert.Equal(new AudioReadResult(480, next, false), r);
            Assert.Equal(next, block[0]);
            Assert.Equal(next + 479, block[479]);
            next += 480;
        }

        Assert.Equal(1, source.ClockHoldBacks);
        var paced = Task.Run(() => source.Read(block, CancellationToken.None), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken); // a negative check: a race can only hide a failure
        Assert.False(paced.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(new AudioReadResult(480, next, false), await paced);
    }

    [Fact]
    public async Task CaptureLoop_RealTimeFileUnderCpuLoadAndAStalledConsumer_DeliversEveryFrameInOrder()
    {
        // Every sample is its frame index, so a lost, repeated or reordered frame shows. Busy threads on every core and a
        // consumer that stalls 0.8 s on its first block (longer than MaxLagSeconds, as a JIT pause at start-up on a
        // loaded machine did) used to cost the start of the file as an "Audio overrun".
        const int rate = 16_000;
        var samples = new float[(int)(rate * 1.5)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = i;
        }

        using var source = new WavFileSource(Wav(samples, WavSampleFormat.IeeeFloat32, rate), "sequence.wav");
        var sink = new StallingSink(samples.Length, stallFirstBlock: TimeSpan.FromMilliseconds(800));
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, Environment.ProcessorCount * 2)
            .Select(_ => new Thread(() => { while (!stopLoad.IsCancellationRequested) { Thread.SpinWait(1_000); } }) { IsBackground = true })
            .ToList();
        load.ForEach(t => t.Start());
        try
        {
            await using var loop = new AudioCaptureLoop(source, 256, sink, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            loop.Start();
            await sink.Ended.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.Equal(0, loop.Overruns);
            Assert.Equal(0, loop.LostFrames);
        }
        finally
        {
            await stopLoad.CancelAsync();
            load.ForEach(t => t.Join());
        }

        Assert.Equal(samples.Length, sink.Count);
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.True(sink.Samples[i] == i, $"sample {i} is {sink.Samples[i]}");
        }

        Assert.True(source.ClockHoldBacks >= 1, "the stalled consumer should have held the clock back");
    }

    [Fact]
    public void Constructor_MissingFile_ThrowsAudioSourceExceptionNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.wav");

        var ex = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
    }

    [Fact]
    public void Constructor_TruncatedFile_ThrowsAudioSourceExceptionNamingFileAndProblem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}.wav");
        try
        {
            var bytes = Wav(new float[1_000], WavSampleFormat.Pcm16).ToArray();
            File.WriteAllBytes(path, bytes[..1_000]);

            var ex = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

            Assert.Equal($"WAV file '{path}' is not valid: it is truncated: the data chunk declares 2000 bytes but only 956 follow.", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_FileShrinksWhilePlaying_ThrowsAudioSourceExceptionNamingTheFile()
    {
        var bytes = Wav(new float[10_000], WavSampleFormat.Pcm16).ToArray();
        var stream = new ShrinkingStream(bytes, shrinkTo: 5_000);
        using var source = new WavFileSource(stream, "shrunk.wav", new WavFileSourceOptions { RealTime = false });
        source.Start();
        stream.Shrink();
        var block = new float[2_000];

        source.Read(block, CancellationToken.None);
        var ex = Assert.Throws<AudioSourceException>(() => source.Read(block, CancellationToken.None));

        Assert.Contains("WAV file 'shrunk.wav' is truncated", ex.Message, StringComparison.Ordinal);
    }

    internal static MemoryStream Wav(float[] monoSamples, WavSampleFormat sampleFormat, int rate = 48_000)
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, new AudioFormat(rate, 1), sampleFormat, leaveOpen: true))
        {
            writer.Write(monoSamples);
        }

        stream.Position = 0;
        return stream;
    }

    private sealed class ShrinkingStream(byte[] bytes, int shrinkTo) : MemoryStream(bytes, writable: false)
    {
        private bool _shrunk;

        public void Shrink() => _shrunk = true;

        public override int Read(Span<byte> buffer)
        {
            var limit = _shrunk ? shrinkTo : (int)Length;
            var n = (int)Math.Max(0, Math.Min(buffer.Length, limit - Position));
            return base.Read(buffer[..n]);
        }
    }

    private sealed class StallingSink(int capacity, TimeSpan stallFirstBlock) : IAudioBlockSink
    {
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _stalled;

        public float[] Samples { get; } = new float[capacity];

        public int Count { get; private set; }

        public Task Ended => _ended.Task;

        public void OnAudioBlock(in AudioBlock block)
        {
            if (!_stalled)
            {
                _stalled = true;
                Thread.Sleep(stallFirstBlock);
            }

            var take = Math.Min(block.Samples.Length, Samples.Length - Count);
            Assert.Equal(Count, block.FirstFrameIndex);
            block.Samples[..take].CopyTo(Samples.AsSpan(Count));
            Count += take;
        }

        public void OnOverrun(long lostFrames, double streamTime) => _ended.TrySetException(new InvalidOperationException($"{lostFrames} frames lost at {streamTime} s"));

        public void OnSourceFailed(IAudioSource source, Exception exception) => _ended.TrySetException(exception);

        public void OnEndOfStream(IAudioSource source) => _ended.TrySetResult();
    }
}
