using System.Buffers.Binary;
using Friture.Streaming.Audio;

namespace Friture.Streaming.Tests.Audio;

public sealed class WavReaderTests
{
    [Fact]
    public void Open_RandomlyCorruptedHeaders_ThrowsOnlyInvalidDataAndNeverAllocatesWithoutBound()
    {
        // Seeded fuzz: 20,000 files with 1 to 8 random bytes of the first 80 changed (the whole header and the start of
        // the data), some truncated. Each open either succeeds and reads to the end, or throws InvalidDataException;
        // no other exception, no hang (the loop ends), and no open allocates more than 128 KiB (the 64 KiB scratch buffer
        // is the only allocation the reader makes, so a size field claiming 4 GiB cannot make it allocate 4 GiB).
        var valid = MakeWav(WavSampleFormat.Pcm24, channels: 3, frames: 64, extensible: true);
        var random = new Random(20_261_123);
        var accepted = 0;
        var rejected = 0;
        var destination = new float[256 * 3];
        for (var iteration = 0; iteration < 20_000; iteration++)
        {
            var bytes = (byte[])valid.Clone();
            var edits = random.Next(1, 9);
            for (var e = 0; e < edits; e++)
            {
                bytes[random.Next(0, 80)] = (byte)random.Next(256);
            }

            var length = random.Next(4) == 0 ? random.Next(0, bytes.Length) : bytes.Length;
            using var stream = new MemoryStream(bytes, 0, length, writable: false);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                using var reader = WavReader.Open(stream, "fuzz.wav", leaveOpen: true);
                long total = 0;
                int n;
                while ((n = reader.ReadFrames(destination)) > 0)
                {
                    total += n;
                }

                Assert.Equal(reader.Info.FrameCount, total);
                accepted++;
            }
            catch (InvalidDataException ex)
            {
                Assert.StartsWith("WAV file 'fuzz.wav' is not valid: ", ex.Message, StringComparison.Ordinal);
                rejected++;
            }

            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 128 * 1024);
        }

        Assert.True(accepted > 100, $"only {accepted} fuzzed files were accepted");
        Assert.True(rejected > 1_000, $"only {rejected} fuzzed files were rejected");
    }

    [Fact]
    public void Open_DataChunkClaims4GiB_ThrowsTruncatedWithoutAllocatingIt()
    {
        var bytes = MakeWav(WavSampleFormat.Pcm16, 2, 10, extensible: false);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), uint.MaxValue);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<InvalidDataException>(() => WavReader.Open(new MemoryStream(bytes), "huge.wav", leaveOpen: false));

        Assert.Equal("WAV file 'huge.wav' is not valid: it is truncated: the data chunk declares 4294967295 bytes but only 40 follow.", ex.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    [Theory]
    [InlineData("RIFX", "it does not start with 'RIFF'....'WAVE'")]
    [InlineData("tag", "its format tag is 0x0055")]
    [InlineData("bits", "it stores 20-bit PCM samples")]
    [InlineData("channels", "it declares 0 channels")]
    [InlineData("rate", "its sample rate is 1000 Hz")]
    [InlineData("align", "its block align is 3 bytes")]
    [InlineData("short", "it is 6 bytes long")]
    [InlineData("nodata", "it has no 'data' chunk")]
    public void Open_MalformedHeader_NamesTheFileAndTheProblem(string corruption, string expected)
    {
        var bytes = MakeWav(WavSampleFormat.Pcm16, 2, 10, extensible: false);
        switch (corruption)
        {
            case "RIFX": "RIFX"u8.CopyTo(bytes); break;
            case "tag": BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(20), 0x55); break;
            case "bits": BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(34), 20); break;
            case "channels": BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(22), 0); break;
            case "rate": BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), 1_000); break;
            case "align": BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(32), 3); break;
            case "short": bytes = bytes[..6]; break;
            default: "junk"u8.CopyTo(bytes.AsSpan(36)); BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), 40); break;
        }

        var ex = Assert.Throws<InvalidDataException>(() => WavReader.Open(new MemoryStream(bytes), "bad.wav", leaveOpen: false));

        Assert.StartsWith("WAV file 'bad.wav' is not valid: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ChunksBeforeAndAfterData_SkipsThemIncludingOddPadding()
    {
        var wav = MakeWav(WavSampleFormat.Pcm16, 1, 4, extensible: false);
        using var stream = new MemoryStream();
        stream.Write(wav.AsSpan(0, 36));
        stream.Write("LIST"u8);
        stream.Write([3, 0, 0, 0, 1, 2, 3, 0]); // 3-byte chunk plus its pad byte
        stream.Write(wav.AsSpan(36));
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));

        using var reader = WavReader.Open(new MemoryStream(bytes), "list.wav", leaveOpen: false);
        var x = new float[4];

        Assert.Equal(4, reader.ReadFrames(x));
        Assert.Equal(56, reader.Info.DataOffset);
    }

    internal static byte[] MakeWav(WavSampleFormat sampleFormat, int channels, int frames, bool extensible)
    {
        using var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, new AudioFormat(48_000, channels), sampleFormat, extensible, leaveOpen: true))
        {
            writer.Write(WavRoundTripTests.TestSignal(frames * channels, seed: 1));
        }

        return stream.ToArray();
    }
}
