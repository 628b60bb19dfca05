using System.Buffers.Binary;
using System.Globalization;

namespace Friture.Streaming.Audio;

/// <summary>
/// Parses a RIFF/WAVE header and reads its samples as interleaved float32, in fixed-size chunks; AIFF and AIFF-C
/// (uncompressed) files are read through NAudio's <see cref="NAudio.Wave.AiffFileReader"/>.
/// </summary>
/// <remarks>
/// <para>
/// Supported: PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE, 1 to 32 channels, 8 to
/// 192 kHz. Every size in the header is checked against the stream's length before it is used, and nothing is ever
/// allocated from a size read in the file: the only buffer is a fixed 64 KiB one allocated at open. A malformed or
/// truncated file raises <see cref="InvalidDataException"/> naming the file and the problem.
/// </para>
/// <para><see cref="ReadFrames"/> does not allocate.</para>
/// </remarks>
internal sealed class WavReader : IDisposable
{
    private const int MaxChunks = 4096;
    private const int ScratchBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly NAudio.Wave.AiffFileReader? _aiff;
    private readonly bool _leaveOpen;
    private readonly byte[] _scratch;
    private long _frame;

    private WavReader(Stream stream, bool leaveOpen, string name, WavFormatInfo info, NAudio.Wave.AiffFileReader? aiff = null)
    {
        _stream = stream;
        _aiff = aiff;
        _leaveOpen = leaveOpen;
        Name = name;
        Info = info;
        _scratch = new byte[Math.Max(info.BlockAlign, ScratchBytes / info.BlockAlign * info.BlockAlign)];
        if (aiff is null)
        {
            _stream.Position = info.DataOffset;
        }
        else
        {
            aiff.Position = 0;
        }
    }

    /// <summary>The name used in errors (usually the file name).</summary>
    public string Name { get; }

    /// <summary>What the header describes.</summary>
    public WavFormatInfo Info { get; }

    /// <summary>The next frame <see cref="ReadFrames"/> returns.</summary>
    public long Position => _frame;

    /// <summary>Opens a file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The reader, positioned at the first frame.</returns>
    /// <exception cref="InvalidDataException">The file is not a WAV file this reader supports, or is truncated.</exception>
    public static WavReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            return Open(stream, path, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Parses the header of a seekable stream.</summary>
    /// <param name="stream">The stream, at any position; WAV data must start at offset 0.</param>
    /// <param name="name">Name for error messages.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    /// <returns>The reader, positioned at the first frame.</returns>
    /// <exception cref="InvalidDataException">The data is not a WAV file this reader supports, or is truncated.</exception>
    public static WavReader Open(Stream stream, string name, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException($"WAV file '{name}': the stream must be readable and seekable.", nameof(stream));
        }

        if (AiffFile.IsAiff(stream))
        {
            var (info, aiff) = AiffFile.Open(stream, name);
            return new WavReader(stream, leaveOpen, name, info, aiff);
        }

        var wav = ParseHeader(stream, name);
        return new WavReader(stream, leaveOpen, name, wav);
    }

    /// <summary>Moves to a frame.</summary>
    /// <param name="frame">0 to <see cref="WavFormatInfo.FrameCount"/>.</param>
    public void Seek(long frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame, Info.FrameCount);
        if (_aiff is null)
        {
            _stream.Position = Info.DataOffset + (frame * Info.BlockAlign);
        }
        else
        {
            _aiff.Position = frame * Info.BlockAlign;
        }

        _frame = frame;
    }

    /// <summary>Reads up to <c>destination.Length / channels</c> frames, fewer at the end of the data.</summary>
    /// <param name="destination">Interleaved float32 output.</param>
    /// <returns>Frames read; 0 at the end of the data.</returns>
    /// <exception cref="InvalidDataException">The file ended before its data chunk did.</exception>
    public int ReadFrames(Span<float> destination)
    {
        var info = Info;
        var channels = info.Format.Channels;
        var wanted = (int)Math.Min(destination.Length / channels, info.FrameCount - _frame);
        var done = 0;
        while (done < wanted)
        {
            var frames = Math.Min(wanted - done, _scratch.Length / info.BlockAlign);
            var bytes = _scratch.AsSpan(0, frames * info.BlockAlign);
            var got = 0;
            while (got < bytes.Length)
            {
                var n = _aiff is null ? _stream.Read(bytes[got..]) : _aiff.Read(bytes[got..]);
                if (n == 0)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{(_aiff is null ? "WAV" : "AIFF")} file '{Name}' is truncated: the data chunk declares {info.FrameCount} frames but the file ends after frame {_frame + done + (got / info.BlockAlign)}."));
                }

                got += n;
            }

            Convert(bytes, info.SampleFormat, destination.Slice(done * channels, frames * channels));
            done += frames;
        }

        _frame += done;
        return done;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _aiff?.Dispose(); // leaves the stream open: NAudio only closes streams it opened itself
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    internal static void Convert(ReadOnlySpan<byte> bytes, WavSampleFormat format, Span<float> destination)
    {
        switch (format)
        {
            case WavSampleFormat.Pcm8:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (bytes[i] - 128) * (1f / 128f);
                }

                break;
            case WavSampleFormat.Pcm16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(i * 2, 2)) * (1f / 32768f);
                }

                break;
            case WavSampleFormat.Pcm24:
                for (var i = 0; i < destination.Length; i++)
                {
                    var j = i * 3;
                    var v = (bytes[j] << 8) | (bytes[j + 1] << 16) | (bytes[j + 2] << 24);
                    destination[i] = (v >> 8) * (1f / 8388608f);
                }

                break;
            case WavSampleFormat.Pcm32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)(BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * 4, 4)) * (1.0 / 2147483648.0));
                }

                break;
            case WavSampleFormat.IeeeFloat32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
                }

                break;
            default:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i * 8, 8));
                }

                break;
        }
    }

    private static WavFormatInfo ParseHeader(Stream stream, string name)
    {
        var length = stream.Length;
        Span<byte> header = stackalloc byte[40];
        stream.Position = 0;
        if (length < 12 || !TryReadExactly(stream, header[..12]))
        {
            throw Bad(name, $"it is {length} bytes long; a WAV file starts with a 12-byte RIFF header");
        }

        var riff = header[..4];
        if (riff.SequenceEqual("RF64"u8) || riff.SequenceEqual("BW64"u8))
        {
            throw Bad(name, "RF64/BW64 files (over 4 GiB) are not supported");
        }

        if (!riff.SequenceEqual("RIFF"u8) || !header.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw Bad(name, "it does not start with 'RIFF'....'WAVE'");
        }

        AudioFormat? format = null;
        var sampleFormat = WavSampleFormat.Pcm16;
        var extensible = false;
        var blockAlign = 0;
        long position = 12;
        for (var chunk = 0; ; chunk++)
        {
            if (chunk >= MaxChunks)
            {
                throw Bad(name, $"more than {MaxChunks} chunks precede the data chunk");
            }

            if (position + 8 > length)
            {
                throw Bad(name, format is null ? "it has no 'fmt ' chunk" : "it has no 'data' chunk (or it is truncated before it)");
            }

            stream.Position = position;
            if (!TryReadExactly(stream, header[..8]))
            {
                throw Bad(name, string.Create(CultureInfo.InvariantCulture, $"it is truncated at byte {position}"));
            }

            var id = header[..4];
            long size = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(4, 4));
            var body = position + 8;
            var available = length - body;
            if (id.SequenceEqual("data"u8))
            {
                if (format is not { } f)
                {
                    throw Bad(name, "its 'data' chunk comes before any 'fmt ' chunk");
                }

                if (size > available)
                {
                    throw Bad(name, string.Create(CultureInfo.InvariantCulture,
                        $"it is truncated: the data chunk declares {size} bytes but only {available} follow"));
                }

                return new WavFormatInfo(f, sampleFormat, extensible, body, size / blockAlign);
            }

            if (size > available)
            {
                throw Bad(name, string.Create(CultureInfo.InvariantCulture,
                    $"it is truncated: chunk '{Printable(id)}' at byte {position} declares {size} bytes but only {available} follow"));
            }

            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16)
                {
                    throw Bad(name, string.Create(CultureInfo.InvariantCulture, $"its 'fmt ' chunk is {size} bytes; at least 16 are required"));
                }

                var fmt = header[..(int)Math.Min(size, 40)];
                if (!TryReadExactly(stream, fmt))
                {
                    throw Bad(name, "it is truncated inside the 'fmt ' chunk");
                }

                (format, sampleFormat, extensible, blockAlign) = ParseFmt(fmt, name);
            }

            position = body + size + (size & 1);
        }
    }

    private static (AudioFormat Format, WavSampleFormat SampleFormat, bool Extensible, int BlockAlign) ParseFmt(ReadOnlySpan<byte> fmt, string name)
    {
        int tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        var extensible = tag == 0xFFFE;
        if (extensible)
        {
            if (fmt.Length < 40)
            {
                throw Bad(name, string.Create(CultureInfo.InvariantCulture, $"its WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {fmt.Length} bytes; 40 are required"));
            }

            ReadOnlySpan<byte> guidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            if (!fmt.Slice(26, 14).SequenceEqual(guidTail))
            {
                throw Bad(name, "its WAVE_FORMAT_EXTENSIBLE sub-format is not a KSDATAFORMAT_SUBTYPE (PCM or IEEE float) GUID");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }

        if (channels is < 1 or > AudioFormat.MaxChannels)
        {
            throw Bad(name, string.Create(CultureInfo.InvariantCulture, $"it declares {channels} channels; 1 to {AudioFormat.MaxChannels} are supported"));
        }

        if (rate is < AudioFormat.MinSampleRate or > AudioFormat.MaxSampleRate)
        {
            throw Bad(name, string.Create(CultureInfo.InvariantCulture, $"its sample rate is {rate} Hz; {AudioFormat.MinSampleRate} to {AudioFormat.MaxSampleRate} Hz are supported"));
        }

        WavSampleFormat sampleFormat = (tag, bits) switch
        {
            (1, 8) => WavSampleFormat.Pcm8,
            (1, 16) => WavSampleFormat.Pcm16,
            (1, 24) => WavSampleFormat.Pcm24,
            (1, 32) => WavSampleFormat.Pcm32,
            (3, 32) => WavSampleFormat.IeeeFloat32,
            (3, 64) => WavSampleFormat.IeeeFloat64,
            (1 or 3, _) => throw Bad(name, string.Create(CultureInfo.InvariantCulture,
                $"it stores {bits}-bit {(tag == 1 ? "PCM" : "float")} samples; PCM 8/16/24/32 and float 32/64 are supported")),
            _ => throw Bad(name, string.Create(CultureInfo.InvariantCulture,
                $"its format tag is 0x{tag:X4}; only PCM (1), IEEE float (3) and WAVE_FORMAT_EXTENSIBLE of those are supported")),
        };

        var expectedAlign = channels * WavFormatInfo.BytesOf(sampleFormat);
        if (blockAlign != expectedAlign)
        {
            throw Bad(name, string.Create(CultureInfo.InvariantCulture,
                $"its block align is {blockAlign} bytes; {channels} channel(s) of {bits}-bit samples need {expectedAlign}"));
        }

        return (new AudioFormat((int)rate, channels), sampleFormat, extensible, blockAlign);
    }

    private static bool TryReadExactly(Stream stream, Span<byte> buffer)
    {
        var got = 0;
        while (got < buffer.Length)
        {
            var n = stream.Read(buffer[got..]);
            if (n == 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }

    private static string Printable(ReadOnlySpan<byte> id)
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            chars[i] = id[i] is >= 0x20 and < 0x7F ? (char)id[i] : '?';
        }

        return new string(chars);
    }

    private static InvalidDataException Bad(string name, string problem) => new($"WAV file '{name}' is not valid: {problem}.");
}
