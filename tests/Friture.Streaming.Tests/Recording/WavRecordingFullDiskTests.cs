using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Recording;
using Friture.Streaming.Tests.Audio;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Recording;

/// <summary>
/// A WAV recording on a really full disk: a 64 KiB tmpfs mounted by the test (root needed; skipped with the reason
/// elsewhere, required under CI=true).
/// </summary>
public sealed class WavRecordingFullDiskTests
{
    [Fact]
    public async Task FullDisk_ReportedOnce_RecordingStops_FileValidWithTheFramesWrittenBefore()
    {
        await using var disk = await FullDisk.MountAsync();
        var mount = disk.Path;
        var path = Path.Combine(mount, "take.wav");
        var samples = WavRoundTripTests.TestSignal(40 * 1000, seed: 11); // 160 KB of float32 mono: more than fits
        var recorder = new WavRecordingConsumer(path);
        var errors = new List<ConsumerErrorEventArgs>();
        recorder.ErrorOccurred += (_, e) => errors.Add(e);

        for (var i = 0; i < 40; i++)
        {
            await recorder.ConsumeAsync(WavRecordingConsumerTests.Message(samples.AsSpan(i * 1000, 1000), i * 1000, 1), CancellationToken.None);
        }

        await recorder.FlushAsync(CancellationToken.None);

        var error = Assert.Single(errors);
        Assert.Contains(path, error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Free space", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(error.Exception.Message, recorder.GetStatistics().Failure);
        Assert.InRange(recorder.FramesWritten, 1000, 16_000);
        Assert.Equal(samples.Length, recorder.FramesWritten + recorder.FramesNotWritten);

        // The file is valid and holds exactly the frames written, sample for sample.
        var read = WavRecordingConsumerTests.ReadWav(path, out var format);
        Assert.Equal(new AudioFormat(48_000, 1), format);
        Assert.Equal(samples.AsSpan(0, (int)recorder.FramesWritten).ToArray(), read);

        await recorder.DisposeAsync();
        Assert.Single(errors);
        Assert.True(File.Exists(path));
    }
}
