using System.Globalization;
using NAudio.Wave;

namespace Friture.Streaming.Audio;

/// <summary>Maps NAudio's <see cref="WaveFormat"/> to the sample encodings the library decodes.</summary>
internal static class NAudioFormats
{
    private static readonly Guid PcmSubFormat = new("00000001-0000-0010-8000-00aa00389b71");
    private static readonly Guid FloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");

    /// <summary>The encoding of <paramref name="format"/>, WAVE_FORMAT_EXTENSIBLE resolved through its sub-format.</summary>
    /// <param name="format">What the device or file delivers.</param>
    /// <param name="name">The device or file, for the error message.</param>
    /// <returns>The encoding.</returns>
    /// <exception cref="AudioSourceException">The encoding is not PCM 8/16/24/32-bit or IEEE float 32/64-bit.</exception>
    public static WavSampleFormat ToSampleFormat(WaveFormat format, string name)
    {
        ArgumentNullException.ThrowIfNull(format);
        var encoding = format.Encoding;
        var isFloat = encoding == WaveFormatEncoding.IeeeFloat;
        var isPcm = encoding == WaveFormatEncoding.Pcm;
        if (encoding == WaveFormatEncoding.Extensible)
        {
            if (format is not WaveFormatExtensible extensible)
            {
                throw Unsupported(format, name, "a WAVE_FORMAT_EXTENSIBLE header without its sub-format");
            }

            isFloat = extensible.SubFormat == FloatSubFormat;
            isPcm = extensible.SubFormat == PcmSubFormat;
        }

        return (isPcm, isFloat, format.BitsPerSample) switch
        {
            (true, _, 8) => WavSampleFormat.Pcm8,
            (true, _, 16) => WavSampleFormat.Pcm16,
            (true, _, 24) => WavSampleFormat.Pcm24,
            (true, _, 32) => WavSampleFormat.Pcm32,
            (_, true, 32) => WavSampleFormat.IeeeFloat32,
            (_, true, 64) => WavSampleFormat.IeeeFloat64,
            _ => throw Unsupported(format, name, null),
        };
    }

    /// <summary>Sample rate and channels of <paramref name="format"/>, checked against the library's ranges.</summary>
    /// <param name="format">The NAudio format.</param>
    /// <param name="name">The device or file, for the error message.</param>
    /// <returns>The format.</returns>
    /// <exception cref="AudioSourceException">The rate or channel count is out of range.</exception>
    public static AudioFormat ToAudioFormat(WaveFormat format, string name)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.SampleRate is < AudioFormat.MinSampleRate or > AudioFormat.MaxSampleRate
            || format.Channels is < 1 or > AudioFormat.MaxChannels)
        {
            throw new AudioSourceException(string.Create(CultureInfo.InvariantCulture,
                $"Audio source '{name}' delivers {format.SampleRate} Hz, {format.Channels} channels; the library takes {AudioFormat.MinSampleRate} to {AudioFormat.MaxSampleRate} Hz and 1 to {AudioFormat.MaxChannels} channels."));
        }

        return new AudioFormat(format.SampleRate, format.Channels);
    }

    /// <summary>Bytes one sample of <paramref name="format"/> takes.</summary>
    /// <param name="format">The encoding.</param>
    /// <returns>1 to 8.</returns>
    public static int BytesOf(WavSampleFormat format) => WavFormatInfo.BytesOf(format);

    private static AudioSourceException Unsupported(WaveFormat format, string name, string? what) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Audio source '{name}' delivers {what ?? $"{format.Encoding} {format.BitsPerSample}-bit"} samples; the library decodes PCM 8/16/24/32-bit and IEEE float 32/64-bit (plain or WAVE_FORMAT_EXTENSIBLE). Ask the device for one of these (for example with WaveFormat.CreateIeeeFloatWaveFormat)."));
}
