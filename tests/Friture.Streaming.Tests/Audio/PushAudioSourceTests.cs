using System.Buffers.Binary;
using Friture.Streaming.Audio;

namespace Friture.Streaming.Tests.Audio;

public sealed class PushAudioSourceTests
{
    [Fact]
    public void Read_FloatsPushedInPartialFrames_ReturnsThemInOrderWithAContiguousClock()
    {
        using var source = new PushAudioSource(new AudioFormat(48_000, 2), capacityFrames: 1_000);
        source.Start();
        var samples = Enumerable.Range(0, 1_200).Select(i => i / 2000f).ToArray();

        source.Write(samples.AsSpan(0, 333));
        source.Write(samples.AsSpan(333, 867));
        var block = new float[600];
        var r1 = source.Read(block, CancellationToken.None);

        Assert.Equal(new AudioReadResult(300, 0, false), r1);
        Assert.Equal(samples.AsSpan(0, 600).ToArray(), block);
        var r2 = source.Read(block, CancellationToken.None);
        Assert.Equal(new AudioReadResult(300, 300, false), r2);
        Assert.Equal(samples.AsSpan(600, 600).ToArray(), block);
        Assert.Equal(0, source.Overflows);
    }

    [Fact]
    public void Read_Pcm16BytesAsFromNAudio_ConvertsWithFullScale32768()
    {
        using var source = new PushAudioSource(new AudioFormat(44_100, 1));
        source.Start();
        short[] values = [0, 16_384, -32_768, 32_767];
        var bytes = new byte[8];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        source.WritePcm16(bytes);
        source.Write(values);
        var block = new float[8];
        source.Read(block, CancellationToken.None);

        Assert.Equal([0f, 0.5f, -1f, 32_767 / 32_768f, 0f, 0.5f, -1f, 32_767 / 32_768f], block);
    }

    [Fact]
    public void Read_Float32BytesAsFromWasapi_PassesValuesThrough()
    {
        using var source = new PushAudioSource(new AudioFormat(48_000, 2));
        source.Start();
        var bytes = new byte[16];
        float[] values = [0.25f, -0.5f, 1f, -1f];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        source.WriteFloat32(bytes);
        var block = new float[4];
        source.Read(block, CancellationToken.None);

        Assert.Equal(values, block);
    }

    [Fact]
    public void Write_RingFull_DropsOldestFramesCountsOverflowAndTheClockShowsTheGap()
    {
        using var source = new PushAudioSource(new AudioFormat(48_000, 1), capacityFrames: 1_000);
        source.Start();
        var ramp = Enumerable.Range(0, 1_500).Select(i => (float)i).ToArray();

        source.Write(ramp.AsSpan(0, 800));
        source.Write(ramp.AsSpan(800, 700)); // 500 frames too many: frames 0..499 are dropped
        var block = new float[100];
        var r = source.Read(block, CancellationToken.None);

        Assert.Equal(1, source.Overflows);
        Assert.Equal(500, source.DroppedFrames);
        Assert.Equal(500, r.FirstFrameIndex);
        Assert.Equal(500f, block[0]);
        Assert.Equal(900, source.BufferedFrames);
    }

    [Fact]
    public void Write_OnePushLargerThanTheRing_KeepsItsNewestFramesAndCountsTheRest()
    {
        using var source = new PushAudioSource(new AudioFormat(48_000, 2), capacityFrames: 100);
        source.Start();
        var ramp = Enumerable.Range(0, 2 * 250).Select(i => (float)i).ToArray(); // 250 stereo frames

        source.Write(ramp);
        var block = new float[2 * 100];
        var r = source.Read(block, CancellationToken.None);

        Assert.Equal(new AudioReadResult(100, 150, false), r);
        Assert.Equal(300f, block[0]);
        Assert.Equal(499f, block[^1]);
        Assert.Equal(150, source.DroppedFrames);
        Assert.Equal(1, source.Overflows);
    }

    [Fact]
    public void Write_NotStarted_IsDiscarded()
    {
        using var source = new PushAudioSource(new AudioFormat(48_000, 1));
        source.Write(new float[100]);
        source.Start();

        Assert.Equal(0, source.BufferedFrames);
    }

    [Fact]
    public async Task Read_Cancelled_ReturnsNoFrames()
    {
        using var source = new PushAudioSource(new AudioFormat(48_000, 1));
        source.Start();
        using var cts = new CancellationTokenSource();
        var read = Task.Run(() => source.Read(new float[512], cts.Token), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken); // a negative check: a race can only hide a failure, never fake one
        Assert.False(read.IsCompleted);

        cts.Cancel();

        Assert.Equal(0, (await read).Frames);
    }

    [Fact]
    public void Constructor_CapacityOutOfRange_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PushAudioSource(new AudioFormat(48_000, 1), capacityFrames: 10));

        Assert.Contains("capacityFrames is 10 frames", ex.Message, StringComparison.Ordinal);
    }
}
