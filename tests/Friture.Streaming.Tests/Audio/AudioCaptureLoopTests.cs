using Friture.Streaming.Audio;
using Microsoft.Extensions.Logging.Abstractions;

namespace Friture.Streaming.Tests.Audio;

public sealed class AudioCaptureLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> SteadySources => ["generator", "generator-realtime", "wav", "push"];

    [Theory]
    [MemberData(nameof(SteadySources))]
    public async Task Run_SteadyStateAfterWarmUp_AllocatesZeroBytesOnCaptureThread(string kind)
    {
        // Blocks 200..1000 (800 blocks of 512 frames) are measured on the capture thread itself, after warm-up.
        var sink = new RecordingSink(measureFrom: 200, measureTo: 1000);
        using var source = CreateSteadySource(kind, out var feeder, out var stopFeeder);
        await using var loop = new AudioCaptureLoop(source, 512, sink, NullLogger.Instance);
        loop.Start();
        feeder?.Start();
        await sink.Measured.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await loop.StopAsync();
        stopFeeder?.Cancel();
        feeder?.Join();

        Assert.Equal(0, sink.AllocatedBytes);
        Assert.True(loop.BlocksCaptured >= 1000);
    }

    [Fact]
    public async Task Run_FrameIndexJumps_ReportsOverrunWithLostFramesAndStreamTime()
    {
        var format = new AudioFormat(48_000, 2);
        var source = new ScriptedSource(format) { EndOnRead = 9 };
        source.GapsBeforeRead[3] = 100;
        source.GapsBeforeRead[7] = 4_800;
        var sink = new RecordingSink();
        await using var loop = new AudioCaptureLoop(source, 256, sink, NullLogger.Instance);

        loop.Start();
        await sink.Ended.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await loop.Completion.WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal([(100L, 768 / 48_000.0), (4_800L, ((7 * 256) + 100) / 48_000.0)], sink.Overruns);
        Assert.Equal(2, loop.Overruns);
        Assert.Equal(4_900, loop.LostFrames);
        Assert.Equal(10, loop.BlocksCaptured);
        Assert.Equal((10 * 256) + 4_900, loop.NextFrameIndex);
        Assert.Equal(3 * 256 + 100, sink.FirstFrameOf(3));
        Assert.Equal(1, source.Stops);
    }

    [Fact]
    public async Task Run_ContiguousBlocks_ClockIsSampleAccurate()
    {
        using var source = new SignalGeneratorSource(new SignalGeneratorOptions { SampleRate = 44_100, RealTime = false });
        var sink = new RecordingSink();
        await using var loop = new AudioCaptureLoop(source, 441, sink, NullLogger.Instance);
        var enough = new TaskCompletionSource();
        sink.OnBlock = n =>
        {
            if (n == 999)
            {
                enough.TrySetResult();
            }
        };

        loop.Start();
        await enough.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await loop.StopAsync();

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(i * 441L, sink.FirstFrameOf(i));
            Assert.Equal(441, sink.FrameCountOf(i));
        }

        Assert.Empty(sink.Overruns);
        Assert.Equal(loop.FramesCaptured, loop.NextFrameIndex);
        Assert.Equal(loop.NextFrameIndex / 44_100.0, loop.StreamTime, 12);
    }

    [Fact]
    public async Task Run_SourceThrows_ReportsFailureStopsSourceAndANewLoopWorks()
    {
        var source = new ScriptedSource(new AudioFormat(48_000, 1)) { FailOnRead = 5 };
        var sink = new RecordingSink();
        var loop = new AudioCaptureLoop(source, 512, sink, NullLogger.Instance);

        loop.Start();
        await sink.Failed.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await loop.Completion.WaitAsync(Timeout, TestContext.Current.CancellationToken);

        var failure = Assert.IsType<AudioSourceException>(sink.Failure);
        Assert.Contains("scripted", failure.Message, StringComparison.Ordinal);
        Assert.Contains("device unplugged", failure.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(failure.InnerException);
        Assert.Equal(5, sink.Blocks);
        Assert.Equal(1, source.Stops);
        Assert.False(loop.IsRunning);
        await loop.DisposeAsync();

        var again = new ScriptedSource(new AudioFormat(48_000, 1)) { EndOnRead = 3 };
        var sink2 = new RecordingSink();
        await using var loop2 = new AudioCaptureLoop(again, 512, sink2, NullLogger.Instance);
        loop2.Start();
        await sink2.Ended.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(4, sink2.Blocks);
    }

    [Fact]
    public async Task Start_SourceCannotStart_ThrowsAudioSourceExceptionNamingTheSource()
    {
        var source = new ScriptedSource(new AudioFormat(48_000, 1)) { FailOnStart = true };
        await using var loop = new AudioCaptureLoop(source, 512, new RecordingSink(), NullLogger.Instance);

        var ex = Assert.Throws<AudioSourceException>(loop.Start);

        Assert.Contains("'scripted'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("device busy", ex.Message, StringComparison.Ordinal);
        Assert.True(loop.Completion.IsCompleted);
    }

    [Fact]
    public async Task StopAsync_ReadBlockedWaitingForAudio_ReturnsAndStopsSource()
    {
        using var source = new PushAudioSource(new AudioFormat(48_000, 2));
        var sink = new RecordingSink();
        var loop = new AudioCaptureLoop(source, 512, sink, NullLogger.Instance);
        loop.Start();
        source.Write(new float[100 * 2]);

        await loop.StopAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.False(loop.IsRunning);
        Assert.Equal(0, sink.Blocks);
        Assert.Null(sink.Failure);
        Assert.Equal(0, sink.EndOfStreamCalls); // a stop is not the end of the audio
        await loop.DisposeAsync();
        await loop.StopAsync();
    }

    [Theory]
    [InlineData(15)]
    [InlineData(65_537)]
    public void Constructor_BlockSizeOutOfRange_ThrowsNamingBlockSize(int blockSize)
    {
        using var source = new SignalGeneratorSource();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AudioCaptureLoop(source, blockSize, new RecordingSink(), NullLogger.Instance));

        Assert.Contains($"block_size is {blockSize} frames", ex.Message, StringComparison.Ordinal);
    }

    private static IAudioSource CreateSteadySource(string kind, out Thread? feeder, out CancellationTokenSource? stopFeeder)
    {
        feeder = null;
        stopFeeder = null;
        switch (kind)
        {
            case "generator":
                return new SignalGeneratorSource(new SignalGeneratorOptions
                {
                    Waveform = SignalWaveform.PinkNoise, Channels = 2, InterChannelDelaySeconds = 0.001, RealTime = false, Seed = 1,
                });
            case "generator-realtime":
                // Paced by the system clock: exercises the pacer's timer and wait (1000 blocks of 512 at 192 kHz = 2.7 s).
                return new SignalGeneratorSource(new SignalGeneratorOptions { SampleRate = 192_000, Channels = 2, RealTime = true });
            case "wav":
            {
                var stream = new MemoryStream();
                using (var writer = new WavWriter(stream, new AudioFormat(48_000, 2), WavSampleFormat.Pcm24, leaveOpen: true))
                {
                    writer.Write(new float[48_000 * 2]);
                }

                return new WavFileSource(stream, "memory.wav", new WavFileSourceOptions { RealTime = false, Loop = true });
            }

            default:
            {
                var push = new PushAudioSource(new AudioFormat(48_000, 2), capacityFrames: 48_000);
                var cts = new CancellationTokenSource();
                stopFeeder = cts;
                feeder = new Thread(() =>
                {
                    var chunk = new short[480 * 2];
                    while (!cts.IsCancellationRequested)
                    {
                        if (push.BufferedFrames < 24_000)
                        {
                            push.Write(chunk);
                        }
                        else
                        {
                            Thread.Yield();
                        }
                    }
                }) { IsBackground = true };
                return push;
            }
        }
    }
}
