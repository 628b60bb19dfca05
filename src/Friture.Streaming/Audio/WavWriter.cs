using System.Buffers.Binary;
using System.Globalization;
using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>
/// Writes interleaved float32 audio to a WAV file in any <see cref="WavSampleFormat"/>, plain or
/// WAVE_FORMAT_EXTENSIBLE.
/// </summary>
/// <remarks>
/// <para>
/// The RIFF container (header, <c>fact</c> chunk for float and extensible formats, data chunk, size fields, padding) is
/// written by NAudio's <c>WaveFileWriter</c>; this class adds the sample encoding NAudio lacks (8-bit and 64-bit float,
/// rounding to nearest with clipping, no allocation per sample) and keeps the file valid on a failed write. The header's
/// sizes are rewritten by <see cref="Flush"/> and <see cref="Dispose"/>, so a file is valid after either, and everything
/// written before is on disk. Integer formats round to nearest and clip to full scale (16-bit:
/// <c>round(x × 32768)</c> clipped to -32768..32767); NaN is written as 0.
/// </para>
/// <para>
/// A RIFF file holds at most 4 GiB: <see cref="Write"/> throws <see cref="IOException"/> before crossing that limit
/// (a recording rotates to a new file well before it; see <c>WavRecordingConsumer</c>). A write that fails (a full
/// disk) throws an <see cref="IOException"/> naming the file, after cutting the file back to the frames written before,
/// so that <see cref="Flush"/> or <see cref="Dispose"/> still leave a valid file. <see cref="Write"/> does not
/// allocate. Not thread-safe.
/// </para>
/// </remarks>
public sealed class WavWriter : IDisposable
{
    /// <summary>Largest data chunk a RIFF file can describe, in bytes (the 32-bit size fields leave room for the header).</summary>
    public const long MaxDataBytes = uint.MaxValue - 256;

    private const int ScratchBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _scratch;
    private readonly WaveFileWriter _container;
    private readonly long _dataStart;
    private bool _disposed;

    /// <summary>Creates (or overwrites) a WAV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Sample rate and channels.</param>
    /// <param name="sampleFormat">Sample encoding; <see cref="WavSampleFormat.IeeeFloat32"/> keeps every captured value exactly.</param>
    /// <param name="extensible">Whether to write WAVE_FORMAT_EXTENSIBLE; <see langword="null"/> (the default) does so when there are more than 2 channels or more than 16 bits, as Microsoft recommends.</param>
    public WavWriter(string path, AudioFormat format, WavSampleFormat sampleFormat = WavSampleFormat.IeeeFloat32, bool? extensible = null)
        : this(new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1), format, sampleFormat, extensible, leaveOpen: false)
    {
        FilePath = path;
    }

    /// <summary>Writes a WAV file to a seekable stream.</summary>
    /// <param name="stream">A writable, seekable stream; it is emptied and the file written from offset 0.</param>
    /// <param name="format">Sample rate and channels.</param>
    /// <param name="sampleFormat">Sample encoding.</param>
    /// <param name="extensible">Whether to write WAVE_FORMAT_EXTENSIBLE; <see langword="null"/> decides as above.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    public WavWriter(Stream stream, AudioFormat format, WavSampleFormat sampleFormat = WavSampleFormat.IeeeFloat32, bool? extensible = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanWrite)
        {
            throw new ArgumentException("A WAV writer needs a writable, seekable stream (the header's sizes are rewritten at the end).", nameof(stream));
        }

        if (format.Channels == 0)
        {
            throw new ArgumentException("The format is not initialised; create it with new AudioFormat(sampleRate, channels).", nameof(format));
        }

        if (!Enum.IsDefined(sampleFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleFormat), sampleFormat, $"sampleFormat is {sampleFormat}; it must be one of {string.Join(", ", Enum.GetNames<WavSampleFormat>())}.");
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Format = format;
        SampleFormat = sampleFormat;
        var bytesPerSample = WavFormatInfo.BytesOf(sampleFormat);
        IsExtensible = extensible ?? (format.Channels > 2 || bytesPerSample > 2);
        BlockAlign = bytesPerSample * format.Channels;
        _scratch = new byte[ScratchBytes / BlockAlign * BlockAlign];

        // NAudio writes the header at the stream's position and its sizes at absolute offsets, and takes the RIFF size
        // from the stream's length: the file starts at offset 0 of an empty stream.
        _stream.Position = 0;
        _stream.SetLength(0);
        _container = new WaveFileWriter(_stream, ToWaveFormat(format, sampleFormat, IsExtensible));

        // Writes the rest of the header (fact and data chunk headers) and valid sizes now: the file is a valid, empty WAV
        // file from the start.
        _container.Flush();
        _dataStart = _stream.Position;
    }

    /// <summary>The file's path, or <see langword="null"/> when writing to a stream.</summary>
    public string? FilePath { get; }

    /// <summary>Sample rate and channels.</summary>
    public AudioFormat Format { get; }

    /// <summary>Sample encoding.</summary>
    public WavSampleFormat SampleFormat { get; }

    /// <summary>Whether the header is WAVE_FORMAT_EXTENSIBLE.</summary>
    public bool IsExtensible { get; }

    /// <summary>Bytes per frame.</summary>
    public int BlockAlign { get; }

    /// <summary>Frames written.</summary>
    public long FramesWritten => _container.Length / BlockAlign;

    /// <summary>Bytes in the data chunk so far.</summary>
    public long DataBytes => _container.Length;

    /// <summary>Size of the file once closed, in bytes.</summary>
    public long FileBytes => _dataStart + DataBytes + (DataBytes & 1);

    /// <summary>Appends interleaved frames.</summary>
    /// <param name="interleaved">Interleaved samples, full scale ±1.0; a whole number of frames.</param>
    /// <exception cref="IOException">The file would exceed <see cref="MaxDataBytes"/>, or it cannot be written (a full disk); the message names the file.</exception>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var channels = Format.Channels;
        if (interleaved.Length % channels != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{interleaved.Length} samples are not a whole number of {channels}-channel frames."), nameof(interleaved));
        }

        var frames = interleaved.Length / channels;
        if (DataBytes + ((long)frames * BlockAlign) > MaxDataBytes)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture,
                $"WAV file '{FilePath ?? "stream"}' would exceed the RIFF limit of {MaxDataBytes} data bytes."));
        }

        var bytesPerSample = BlockAlign / channels;
        var perChunk = _scratch.Length / bytesPerSample;
        for (var offset = 0; offset < interleaved.Length; offset += perChunk)
        {
            var part = interleaved.Slice(offset, Math.Min(perChunk, interleaved.Length - offset));
            var bytes = _scratch.AsSpan(0, part.Length * bytesPerSample);
            Encode(part, SampleFormat, bytes);
            try
            {
                _container.Write(bytes);
            }
            catch (IOException ex)
            {
                throw Failed(ex);
            }
        }
    }

    /// <summary>Rewrites the header's sizes and flushes everything written so far to the stream (and disk).</summary>
    /// <exception cref="IOException">The file cannot be written; the message names it.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _container.Flush();
            if (_stream is FileStream file)
            {
                file.Flush(flushToDisk: true);
            }
            else
            {
                _stream.Flush();
            }
        }
        catch (IOException ex)
        {
            throw Failed(ex);
        }
    }

    /// <summary>Pads the data chunk to an even length, rewrites the header's sizes, flushes and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            _container.Dispose();
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    internal static void Encode(ReadOnlySpan<float> samples, WavSampleFormat format, Span<byte> destination)
    {
        switch (format)
        {
            case WavSampleFormat.Pcm8:
                for (var i = 0; i < samples.Length; i++)
                {
                    destination[i] = (byte)(Quantize(samples[i], 128.0, -128, 127) + 128);
                }

                break;
            case WavSampleFormat.Pcm16:
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(destination.Slice(i * 2, 2), (short)Quantize(samples[i], 32768.0, short.MinValue, short.MaxValue));
                }

                break;
            case WavSampleFormat.Pcm24:
                for (var i = 0; i < samples.Length; i++)
                {
                    var v = (int)Quantize(samples[i], 8388608.0, -8388608, 8388607);
                    var j = i * 3;
                    destination[j] = (byte)v;
                    destination[j + 1] = (byte)(v >> 8);
                    destination[j + 2] = (byte)(v >> 16);
                }

                break;
            case WavSampleFormat.Pcm32:
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(i * 4, 4), (int)Quantize(samples[i], 2147483648.0, int.MinValue, int.MaxValue));
                }

                break;
            case WavSampleFormat.IeeeFloat32:
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * 4, 4), float.IsNaN(samples[i]) ? 0f : samples[i]);
                }

                break;
            default:
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(destination.Slice(i * 8, 8), float.IsNaN(samples[i]) ? 0.0 : samples[i]);
                }

                break;
        }
    }

    private static long Quantize(float sample, double scale, long min, long max)
    {
        if (float.IsNaN(sample))
        {
            return 0;
        }

        return Math.Clamp((long)Math.Round(sample * scale, MidpointRounding.AwayFromZero), min, max);
    }

    private static WaveFormat ToWaveFormat(AudioFormat format, WavSampleFormat sampleFormat, bool extensible)
    {
        var bits = WavFormatInfo.BytesOf(sampleFormat) * 8;
        var isFloat = sampleFormat is WavSampleFormat.IeeeFloat32 or WavSampleFormat.IeeeFloat64;
        if (extensible)
        {
            return new WaveFormatExtensible(format.SampleRate, bits, format.Channels, isFloat, bits, unchecked((int)ChannelMask(format.Channels)));
        }

        var blockAlign = bits / 8 * format.Channels;
        return isFloat
            ? WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, format.SampleRate, format.Channels, format.SampleRate * blockAlign, blockAlign, bits)
            : new WaveFormat(format.SampleRate, bits, format.Channels);
    }

    /// <summary>After a failed write, cuts the file back to the whole frames written before (cutting needs no space).</summary>
    private IOException Failed(IOException ex)
    {
        try
        {
            _stream.SetLength(_dataStart + DataBytes);
            _stream.Position = _dataStart + DataBytes;
        }
        catch (Exception cut) when (cut is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            // The device refuses even that (a removed disk): the sizes NAudio writes still describe the frames written.
        }

        return new IOException($"WAV file '{FilePath ?? "stream"}' cannot be written: {ex.Message}", ex);
    }

    // Speaker positions in order (FL, FR, FC, LFE, BL, BR, ...) for up to 18 channels; beyond that, no positions.
    private static uint ChannelMask(int channels) => channels switch
    {
        1 => 0x4,
        2 => 0x3,
        <= 18 => (1u << channels) - 1,
        _ => 0,
    };
}
