using System.Buffers.Binary;
using Friture.Streaming.Audio;

namespace Friture.Streaming.Tests.Audio;

public sealed class WavRoundTripTests
{
    public static TheoryData<WavSampleFormat, int, bool> Cases()
    {
        var data = new TheoryData<WavSampleFormat, int, bool>();
        foreach (var format in Enum.GetValues<WavSampleFormat>())
        {
            foreach (var channels in new[] { 1, 2, 6, 32 })
            {
                foreach (var extensible in new[] { false, true })
                {
                    data.Add(format, channels, extensible);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WriteThenRead_EverySampleFormat_ReturnsTheSamplesWithinQuantisation(WavSampleFormat sampleFormat, int channels, bool extensible)
    {
        var format = new AudioFormat(44_100, channels);
        var frames = 1_001; // odd, so that 8- and 24-bit mono need a pad byte
        var samples = TestSignal(frames * channels, seed: channels);
        var path = Path.Combine(Path.GetTempPath(), $"friture-roundtrip-{Guid.NewGuid():N}.wav");
        try
        {
            using (var writer = new WavWriter(path, format, sampleFormat, extensible))
            {
                writer.Write(samples.AsSpan(0, 300 * channels));
                writer.Write(samples.AsSpan(300 * channels));
                Assert.Equal(frames, writer.FramesWritten);
            }

            using var source = new WavFileSource(path, new WavFileSourceOptions { RealTime = false });
            source.Start();
            Assert.Equal(format, source.Format);
            Assert.Equal(sampleFormat, source.SampleFormat);
            Assert.Equal(extensible, source.IsExtensible);
            Assert.Equal(frames, source.FrameCount);
            var read = SignalGeneratorSourceTests.ReadAll(source, frames, blockFrames: 256);

            // Round to nearest: the error is at most half a step (1/2^(bits-1) / 2); floats are exact (64-bit: exact from float32).
            var tolerance = sampleFormat switch
            {
                WavSampleFormat.Pcm8 => 0.5 / 128,
                WavSampleFormat.Pcm16 => 0.5 / 32768,
                WavSampleFormat.Pcm24 => 0.5 / 8388608,
                WavSampleFormat.Pcm32 => 1e-7, // float32 input has 24-bit mantissas: the limit is float rounding
                _ => 0.0,
            };
            for (var i = 0; i < samples.Length; i++)
            {
                Assert.True(Math.Abs(read[i] - samples[i]) <= tolerance * 1.0001, $"sample {i}: wrote {samples[i]}, read {read[i]}");
            }

            var bytes = File.ReadAllBytes(path);
            var dataBytes = (long)frames * channels * WavFormatInfo.BytesOf(sampleFormat);
            Assert.Equal((uint)(bytes.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
            // NAudio's WaveFileWriter lays out the container: RIFF+WAVE 12, fmt 8 + 16 (PCM), 18 (float) or 40
            // (extensible), a 12-byte fact chunk for every non-PCM tag, then the data chunk's 8-byte header.
            var isFloat = sampleFormat is WavSampleFormat.IeeeFloat32 or WavSampleFormat.IeeeFloat64;
            var header = extensible ? 80 : isFloat ? 58 : 44;
            Assert.Equal(header + dataBytes + (dataBytes & 1), bytes.Length);

            // NAudio's reader, independent of the library's, sees the same format and data length.
            using var naudio = new global::NAudio.Wave.WaveFileReader(path);
            var standard = global::NAudio.Wave.WaveExtensionMethods.AsStandardWaveFormat(naudio.WaveFormat);
            if (standard.Encoding == global::NAudio.Wave.WaveFormatEncoding.Extensible)
            {
                // NAudio resolves only 32-bit float and PCM sub-formats to a plain tag; 64-bit float stays extensible,
                // its sub-format GUID in the extra bytes (after valid bits and channel mask).
                Assert.Equal(WavSampleFormat.IeeeFloat64, sampleFormat);
                var extra = Assert.IsType<global::NAudio.Wave.WaveFormatExtraData>(standard).ExtraData;
                Assert.Equal(global::NAudio.Wave.AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT, new Guid(extra.AsSpan(6, 16)));
            }
            else
            {
                Assert.Equal(isFloat ? global::NAudio.Wave.WaveFormatEncoding.IeeeFloat : global::NAudio.Wave.WaveFormatEncoding.Pcm, standard.Encoding);
            }

            Assert.Equal(WavFormatInfo.BytesOf(sampleFormat) * 8, standard.BitsPerSample);
            Assert.Equal(channels, standard.Channels);
            Assert.Equal(44_100, standard.SampleRate);
            Assert.Equal(dataBytes, naudio.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_BeyondFullScaleAndNaN_ClipsAndWritesZero()
    {
        using var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, new AudioFormat(8_000, 1), WavSampleFormat.Pcm16, leaveOpen: true))
        {
            writer.Write([1.5f, -1.5f, float.NaN, 1f]);
        }

        stream.Position = 44;
        Span<byte> data = stackalloc byte[8];
        stream.ReadExactly(data);
        Assert.Equal(32_767, BinaryPrimitives.ReadInt16LittleEndian(data));
        Assert.Equal(-32_768, BinaryPrimitives.ReadInt16LittleEndian(data[2..]));
        Assert.Equal(0, BinaryPrimitives.ReadInt16LittleEndian(data[4..]));
        Assert.Equal(32_767, BinaryPrimitives.ReadInt16LittleEndian(data[6..]));
    }

    [Fact]
    public void Flush_WhileWriting_LeavesAValidFileWithEverythingWritten()
    {
        var path = Path.Combine(Path.GetTempPath(), $"friture-flush-{Guid.NewGuid():N}.wav");
        try
        {
            using var writer = new WavWriter(path, new AudioFormat(48_000, 2), WavSampleFormat.Pcm16);
            writer.Write(new float[2_000]);
            writer.Flush();

            using (var copy = new MemoryStream(File.ReadAllBytes(path)))
            {
                using var reader = WavReader.Open(copy, "copy", leaveOpen: true);
                Assert.Equal(1_000, reader.Info.FrameCount);
            }

            writer.Write(new float[2]);
            Assert.Equal(1_001, writer.FramesWritten);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static float[] TestSignal(int count, int seed)
    {
        var random = new Random(seed);
        var x = new float[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = (float)(((random.NextDouble() * 2) - 1) * 0.99);
        }

        x[0] = -1f; // negative full scale is exact in every format; +1.0 clips to (2^(bits-1)-1)/2^(bits-1)
        x[^1] = 0.5f;
        return x;
    }
}
