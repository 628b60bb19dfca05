using System.Buffers.Binary;
using System.Numerics;
using Friture.Streaming.Audio;

namespace Friture.Streaming.Tests.Audio;

/// <summary>AIFF input through NAudio's AiffFileReader, inside the file reader's contract (clear errors naming the file, bounded memory).</summary>
public sealed class AiffReaderTests
{
    [Theory]
    [InlineData(8, 1)]
    [InlineData(16, 2)]
    [InlineData(24, 3)]
    [InlineData(32, 2)]
    public void WavFileSource_AiffFile_DecodesEverySampleWithinOneStep(int bits, int channels)
    {
        var expected = WavRoundTripTests.TestSignal(500 * channels, seed: 3);
        var bytes = MakeAiff(expected, bits, channels, 44_100);
        using var source = new WavFileSource(new MemoryStream(bytes), "tone.aiff", new WavFileSourceOptions { RealTime = false });

        Assert.Equal(new AudioFormat(44_100, channels), source.Format);
        Assert.Equal(500, source.FrameCount);
        source.Start();
        var block = new float[500 * channels];
        Assert.Equal(new AudioReadResult(500, 0, true), source.Read(block, CancellationToken.None));
        var step = 1.0 / (1L << (bits - 1));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(block[i] - expected[i]) <= step, $"{bits}-bit: sample {i} is {block[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void WavFileSource_AiffLooping_RestartsAndKeepsCounting()
    {
        var bytes = MakeAiff(WavRoundTripTests.TestSignal(100, seed: 4), 16, 1, 48_000);
        using var source = new WavFileSource(new MemoryStream(bytes), "loop.aiff", new WavFileSourceOptions { RealTime = false, Loop = true });
        source.Start();
        var block = new float[64];

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(new AudioReadResult(64, i * 64, false), source.Read(block, CancellationToken.None));
        }
    }

    [Theory]
    [InlineData("form", "does not start with 'FORM'....'AIFF'")]
    [InlineData("comm", "its COMM chunk is 2000000000 bytes long")]
    [InlineData("nossnd", "SSND")]
    [InlineData("bits", "12-bit")]
    public void Open_MalformedAiff_OneClearErrorNamingTheFileWithBoundedMemory(string corruption, string expected)
    {
        var bytes = MakeAiff(new float[20], 16, 2, 48_000);
        switch (corruption)
        {
            case "form": "XIFF"u8.CopyTo(bytes.AsSpan(8)); break;
            case "comm": BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), 2_000_000_000); break;
            case "nossnd": "JUNK"u8.CopyTo(bytes.AsSpan(38)); break;
            default: BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(26), 12); break;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<AudioSourceException>(() => new WavFileSource(new MemoryStream(bytes), "bad.aiff"));

        Assert.StartsWith("AIFF file 'bad.aiff' is not valid: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 128 * 1024);
    }

    /// <summary>An uncompressed AIFF written by hand (big-endian, 80-bit float rate), independent of the reader under test.</summary>
    internal static byte[] MakeAiff(float[] samples, int bits, int channels, int rate)
    {
        var bytesPerSample = bits / 8;
        var frames = samples.Length / channels;
        var data = new byte[samples.Length * bytesPerSample];
        for (var i = 0; i < samples.Length; i++)
        {
            var full = 1L << (bits - 1);
            var v = (long)Math.Clamp(Math.Round(samples[i] * full), -full, full - 1);
            for (var b = 0; b < bytesPerSample; b++)
            {
                data[(i * bytesPerSample) + b] = (byte)(v >> (8 * (bytesPerSample - 1 - b)));
            }
        }

        using var s = new MemoryStream();
        void Id(string id) => s.Write(System.Text.Encoding.ASCII.GetBytes(id));
        void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); s.Write(b); }
        void U16(ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, v); s.Write(b); }
        Id("FORM");
        U32((uint)(4 + 8 + 18 + 8 + 8 + data.Length));
        Id("AIFF");
        Id("COMM");
        U32(18);
        U16((ushort)channels);
        U32((uint)frames);
        U16((ushort)bits);
        // 80-bit IEEE extended: sign/exponent, then a 64-bit mantissa with an explicit integer bit.
        var exponent = 16383 + 63 - BitOperations.LeadingZeroCount((ulong)rate);
        U16((ushort)exponent);
        var mantissa = (ulong)rate << BitOperations.LeadingZeroCount((ulong)rate);
        U32((uint)(mantissa >> 32));
        U32((uint)mantissa);
        Id("SSND");
        U32((uint)(8 + data.Length));
        U32(0);
        U32(0);
        s.Write(data);
        return s.ToArray();
    }
}
