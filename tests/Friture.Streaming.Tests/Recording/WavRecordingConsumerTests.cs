using System.Collections.Immutable;
using Friture.Streaming.Audio;
using Friture.Streaming.Recording;
using Friture.Streaming.Tests.Audio;

namespace Friture.Streaming.Tests.Recording;

public sealed class WavRecordingConsumerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"friture-rec-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task ConsumeAsync_ContiguousChunks_DisposeLeavesAValidFileWithEverySample()
    {
        var path = Path.Combine(_directory, "take.wav");
        var samples = WavRoundTripTests.TestSignal(2 * 48_000, seed: 5);
        var recorder = new WavRecordingConsumer(path);

        for (var i = 0; i < 10; i++)
        {
            await recorder.ConsumeAsync(Message(samples.AsSpan(i * 9_600, 9_600), firstFrame: i * 4_800, channels: 2), CancellationToken.None);
        }

        await recorder.DisposeAsync();

        Assert.Equal([path], recorder.Files);
        Assert.Equal(samples, ReadWav(path, out var format));
        Assert.Equal(new AudioFormat(48_000, 2), format);
        Assert.Equal(0, recorder.Gaps);
    }

    [Fact]
    public async Task ConsumeAsync_BeyondMaxFileSize_RotatesToNumberedFilesThatJoinBackExactly()
    {
        var path = Path.Combine(_directory, "take.wav");
        var samples = WavRoundTripTests.TestSignal(600_000, seed: 6); // 2.4 MB of float32 mono: three 1 MiB files
        var recorder = new WavRecordingConsumer(path, maxFileSizeMb: 1);

        for (var i = 0; i < 60; i++)
        {
            await recorder.ConsumeAsync(Message(samples.AsSpan(i * 10_000, 10_000), firstFrame: i * 10_000, channels: 1), CancellationToken.None);
        }

        await recorder.DisposeAsync();

        Assert.Equal([path, Path.Combine(_directory, "take.1.wav"), Path.Combine(_directory, "take.2.wav")], recorder.Files);
        var joined = recorder.Files.SelectMany(f => ReadWav(f, out _)).ToArray();
        Assert.Equal(samples, joined);
        foreach (var file in recorder.Files)
        {
            Assert.InRange(new FileInfo(file).Length, 1, 1024 * 1024);
        }
    }

    [Fact]
    public async Task ConsumeAsync_GapInFrameIndex_FillsItWithSilenceAndCountsIt()
    {
        var path = Path.Combine(_directory, "gap.wav");
        var recorder = new WavRecordingConsumer(path, WavSampleFormat.Pcm16);
        var ones = Enumerable.Repeat(0.5f, 100).ToArray();

        await recorder.ConsumeAsync(Message(ones, 0, 1), CancellationToken.None);
        await recorder.ConsumeAsync(Message(ones, 150, 1), CancellationToken.None);
        await recorder.DisposeAsync();

        var x = ReadWav(path, out _);
        Assert.Equal(250, x.Length);
        Assert.All(x[..100], v => Assert.Equal(0.5f, v));
        Assert.All(x[100..150], v => Assert.Equal(0f, v));
        Assert.All(x[150..], v => Assert.Equal(0.5f, v));
        Assert.Equal(1, recorder.Gaps);
        Assert.Equal(50, recorder.LostFrames);
        Assert.Equal(50, recorder.SilenceFrames);
    }

    [Fact]
    public async Task ConsumeAsync_ClockRestarts_StartsANewFile()
    {
        var path = Path.Combine(_directory, "restart.wav");
        var recorder = new WavRecordingConsumer(path);

        await recorder.ConsumeAsync(Message(new float[100], 0, 1), CancellationToken.None);
        await recorder.ConsumeAsync(Message(new float[100], 100, 1), CancellationToken.None);
        await recorder.ConsumeAsync(Message(new float[50], 0, 1), CancellationToken.None);
        await recorder.DisposeAsync();

        Assert.Equal(2, recorder.Files.Count);
        Assert.Equal(200, ReadWav(recorder.Files[0], out _).Length);
        Assert.Equal(50, ReadWav(recorder.Files[1], out _).Length);
    }

    [Fact]
    public async Task FlushAsync_WhileRecording_FileIsValidWithEverythingAccepted()
    {
        var path = Path.Combine(_directory, "flush.wav");
        var recorder = new WavRecordingConsumer(path);
        await recorder.ConsumeAsync(Message(new float[300], 0, 1), CancellationToken.None);

        await recorder.FlushAsync(CancellationToken.None);

        using (var copy = new MemoryStream(File.ReadAllBytes(path)))
        {
            using var reader = WavReader.Open(copy, "copy", leaveOpen: true);
            Assert.Equal(300, reader.Info.FrameCount);
        }

        await recorder.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_NothingRecorded_LeavesNoEmptyFile()
    {
        var path = Path.Combine(_directory, "empty.wav");
        var recorder = new WavRecordingConsumer(path);

        await recorder.DisposeAsync();

        Assert.False(File.Exists(path));
        Assert.Empty(recorder.Files);
    }

    [Fact]
    public void Constructor_MaxFileSizeOutOfRange_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new WavRecordingConsumer(Path.Combine(_directory, "x.wav"), maxFileSizeMb: 5_000));

        Assert.Contains("max_file_size_mb is 5000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnwritablePath_ThrowsIOExceptionNamingIt()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(_directory).FullName, "file"), "x");
        var path = Path.Combine(_directory, "file", "take.wav");

        var ex = Assert.Throws<IOException>(() => new WavRecordingConsumer(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    internal static StreamingData Message(ReadOnlySpan<float> samples, long firstFrame, int channels, int rate = 48_000) =>
        new(new StreamingMetadata { DataType = RawAudioProducer.RawAudio, Timestamp = DateTimeOffset.UnixEpoch, SampleRate = rate, Channels = channels },
            new AudioChunkData { Samples = ImmutableArray.Create(samples.ToArray()), FirstFrameIndex = firstFrame, SampleRate = rate, Channels = channels });

    internal static float[] ReadWav(string path, out AudioFormat format)
    {
        using var reader = WavReader.Open(path);
        format = reader.Info.Format;
        var x = new float[reader.Info.FrameCount * format.Channels];
        var done = 0;
        int n;
        while ((n = reader.ReadFrames(x.AsSpan(done * format.Channels))) > 0)
        {
            done += n;
        }

        return x;
    }
}
