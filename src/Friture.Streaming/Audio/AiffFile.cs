using System.Buffers.Binary;
using System.Globalization;
using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>
/// Opens AIFF and AIFF-C (uncompressed) files with NAudio's <see cref="AiffFileReader"/>, within the reader's contract:
/// one <see cref="InvalidDataException"/> naming the file, and bounded memory per open.
/// </summary>
/// <remarks>
/// NAudio reads the COMM chunk's remainder with <c>ReadBytes(length - 18)</c>, a size taken from the file, and throws
/// FormatException, InvalidDataException, EndOfStreamException or ArgumentException that do not name the file. So the
/// chunk headers are walked first (8 bytes each, at most <see cref="MaxChunks"/>) and a COMM chunk longer than
/// <see cref="MaxCommBytes"/> is refused before NAudio reads it; everything NAudio throws is translated.
/// </remarks>
internal static class AiffFile
{
    private const int MaxChunks = 4096;
    private const int MaxCommBytes = 256;

    public static bool IsAiff(Stream stream)
    {
        Span<byte> magic = stackalloc byte[4];
        var at = stream.Position;
        stream.Position = 0;
        var n = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = at;
        return n == 4 && magic.SequenceEqual("FORM"u8);
    }

    public static (WavFormatInfo Info, AiffFileReader Reader) Open(Stream stream, string name)
    {
        CheckChunks(stream, name);
        stream.Position = 0;
        AiffFileReader reader;
        try
        {
            reader = new AiffFileReader(stream);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or EndOfStreamException or ArgumentException
                                       or OverflowException or IOException or NotSupportedException)
        {
            throw Bad(name, ex.Message.TrimEnd('.'));
        }

        try
        {
            var waveFormat = reader.WaveFormat;
            WavSampleFormat sampleFormat;
            AudioFormat format;
            try
            {
                sampleFormat = NAudioFormats.ToSampleFormat(waveFormat, name);
                format = NAudioFormats.ToAudioFormat(waveFormat, name);
            }
            catch (AudioSourceException ex)
            {
                throw Bad(name, ex.Message.TrimEnd('.'));
            }

            if (sampleFormat is WavSampleFormat.IeeeFloat32 or WavSampleFormat.IeeeFloat64 || waveFormat.BlockAlign != format.Channels * WavFormatInfo.BytesOf(sampleFormat))
            {
                throw Bad(name, string.Create(CultureInfo.InvariantCulture, $"it stores {waveFormat.BitsPerSample}-bit samples in {waveFormat.BlockAlign}-byte frames; AIFF input takes 8/16/24/32-bit PCM"));
            }

            var frames = reader.Length / waveFormat.BlockAlign;
            return (new WavFormatInfo(format, sampleFormat, IsExtensible: false, DataOffset: -1, frames), reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static void CheckChunks(Stream stream, string name)
    {
        Span<byte> header = stackalloc byte[12];
        stream.Position = 0;
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12
            || !(header[8..12].SequenceEqual("AIFF"u8) || header[8..12].SequenceEqual("AIFC"u8)))
        {
            throw Bad(name, "it does not start with 'FORM'....'AIFF' or 'AIFC'");
        }

        var length = stream.Length;
        var position = 12L;
        for (var i = 0; i < MaxChunks && position + 8 <= length; i++)
        {
            stream.Position = position;
            if (stream.ReadAtLeast(header[..8], 8, throwOnEndOfStream: false) < 8)
            {
                break;
            }

            var size = BinaryPrimitives.ReadUInt32BigEndian(header[4..8]);
            if (header[..4].SequenceEqual("COMM"u8) && (size < 18 || size > MaxCommBytes))
            {
                throw Bad(name, string.Create(CultureInfo.InvariantCulture, $"its COMM chunk is {size} bytes long (18 to {MaxCommBytes} expected)"));
            }

            position += 8 + size + (size & 1);
        }
    }

    private static InvalidDataException Bad(string name, string problem) => new($"AIFF file '{name}' is not valid: {problem}.");
}
