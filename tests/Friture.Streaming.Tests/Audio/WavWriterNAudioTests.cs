using System.Buffers.Binary;
using Friture.Streaming.Audio;
using Friture.Streaming.Tests.Support;
using NAudio.Wave;

namespace Friture.Streaming.Tests.Audio;

/// <summary>
/// <see cref="WavWriter"/> writes its container through NAudio's <c>WaveFileWriter</c> and keeps its own sample encoder.
/// These tests pin both halves: the writer's steady state allocates nothing, and the reasons the encoder is kept (NAudio
/// 3.3's <c>WriteSample</c>, measured here) still hold. When NAudio fixes them, the last test fails: then the own
/// encoder can go.
/// </summary>
public sealed class WavWriterNAudioTests
{
    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 2)]
    [InlineData(WavSampleFormat.Pcm24, 6)]
    [InlineData(WavSampleFormat.IeeeFloat32, 2)]
    public void WriteAndFlush_SteadyState_AllocateNothing(WavSampleFormat sampleFormat, int channels)
    {
        var path = Path.Combine(Path.GetTempPath(), $"friture-wav-alloc-{Guid.NewGuid():N}.wav");
        try
        {
            using var writer = new WavWriter(path, new AudioFormat(48_000, channels), sampleFormat);
            var block = WavRoundTripTests.TestSignal(512 * channels, seed: 3);
            void Round()
            {
                for (var i = 0; i < 50; i++)
                {
                    writer.Write(block);
                }

                writer.Flush();
            }

            Round();
            Allocations.AssertSteadyStateAllocatesNothing(Round);
            Assert.Equal(0, writer.FramesWritten % (50 * 512));
            Assert.InRange(writer.FramesWritten, 2 * 50 * 512, 4 * 50 * 512);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_OnAFailingStream_ThrowsNamingTheFileAndKeepsTheFramesWrittenBefore()
    {
        using var stream = new FailingStream(limit: 44 + (3 * 2 * 1000));
        using var writer = new WavWriter(stream, new AudioFormat(8_000, 1), WavSampleFormat.Pcm16, leaveOpen: true);
        writer.Write(new float[2000]);

        var ex = Assert.Throws<IOException>(() => writer.Write(new float[2000]));

        Assert.Contains("WAV file 'stream' cannot be written", ex.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2000, writer.FramesWritten);
        Assert.Equal(44 + 4000, stream.Length); // the partial write was cut back
        writer.Dispose();
        stream.Position = 0;
        using var reader = WavReader.Open(stream, "cut", leaveOpen: true);
        Assert.Equal(2000, reader.Info.FrameCount);
    }

    /// <summary>
    /// Measured on NAudio 3.3.0: what <c>WaveFileWriter.WriteSample</c> (the float path of <c>WriteSamples</c>) does,
    /// against the library's contract (round to nearest, clip, -1.0 exact, 8-bit and 64-bit float, no allocation).
    /// </summary>
    [Fact]
    public void NAudioWriteSample_StillFallsShortOfTheContract_SoTheOwnEncoderIsKept()
    {
        // 16-bit: NAudio scales by 32767 and truncates: -1.0 is not -32768, and the error reaches a whole step.
        var signal = WavRoundTripTests.TestSignal(10_000, seed: 9);
        var naudio16 = NAudioEncode(signal, new WaveFormat(8_000, 16, 1));
        Assert.Equal(-32_767, BinaryPrimitives.ReadInt16LittleEndian(naudio16));
        var worst16 = 0.0;
        for (var i = 0; i < signal.Length; i++)
        {
            worst16 = Math.Max(worst16, Math.Abs((signal[i] * 32768.0) - BinaryPrimitives.ReadInt16LittleEndian(naudio16.AsSpan(i * 2))));
        }

        Assert.True(worst16 > 0.9, $"NAudio 16-bit error {worst16} LSB");
        var own16 = new byte[signal.Length * 2];
        WavWriter.Encode(signal, WavSampleFormat.Pcm16, own16);
        Assert.Equal(-32_768, BinaryPrimitives.ReadInt16LittleEndian(own16));

        // 24-bit: one BitConverter.GetBytes array per sample.
        using (var writer = new WaveFileWriter(new MemoryStream(), new WaveFormat(8_000, 24, 1)))
        {
            writer.WriteSamples(signal, 0, 100);
            var before = GC.GetAllocatedBytesForCurrentThread();
            writer.WriteSamples(signal, 0, signal.Length);
            var perSample = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)signal.Length;
            Assert.True(perSample >= 24, $"NAudio 24-bit WriteSamples allocated {perSample} bytes per sample");
        }

        // 8-bit: refused.
        using (var writer = new WaveFileWriter(new MemoryStream(), new WaveFormat(8_000, 8, 1)))
        {
            Assert.Throws<InvalidOperationException>(() => writer.WriteSample(0.5f));
        }

        // 64-bit float: written as 4-byte floats into an 8-byte-per-sample file.
        using (var writer = new WaveFileWriter(new MemoryStream(), WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, 8_000, 1, 64_000, 8, 64)))
        {
            writer.WriteSample(0.5f);
            Assert.Equal(4, writer.Length);
        }
    }

    private static byte[] NAudioEncode(float[] samples, WaveFormat format)
    {
        using var stream = new MemoryStream();
        long start;
        using (var writer = new WaveFileWriter(stream, format))
        {
            writer.Flush();
            start = stream.Position;
            writer.WriteSamples(samples, 0, samples.Length);
        }

        return stream.ToArray().AsSpan((int)start, samples.Length * format.BitsPerSample / 8).ToArray();
    }

    /// <summary>A memory stream that refuses to grow past <c>limit</c> bytes, writing what fits first, like a full disk.</summary>
    private sealed class FailingStream(long limit) : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            var room = (int)Math.Max(0, Math.Min(count, limit - Position));
            base.Write(buffer, offset, room);
            if (room < count)
            {
                throw new IOException("No space left on device");
            }
        }
    }
}
