namespace Friture.Streaming.Audio;

/// <summary>What a WAV header describes: the format, the sample encoding and where the samples are.</summary>
/// <param name="Format">Sample rate and channel count.</param>
/// <param name="SampleFormat">The sample encoding.</param>
/// <param name="IsExtensible">Whether the fmt chunk is WAVE_FORMAT_EXTENSIBLE.</param>
/// <param name="DataOffset">Byte offset of the first sample in the file.</param>
/// <param name="FrameCount">Whole frames in the data chunk.</param>
internal readonly record struct WavFormatInfo(AudioFormat Format, WavSampleFormat SampleFormat, bool IsExtensible, long DataOffset, long FrameCount)
{
    public int BytesPerSample => BytesOf(SampleFormat);

    public int BlockAlign => BytesPerSample * Format.Channels;

    public static int BytesOf(WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm8 => 1,
        WavSampleFormat.Pcm16 => 2,
        WavSampleFormat.Pcm24 => 3,
        WavSampleFormat.Pcm32 => 4,
        WavSampleFormat.IeeeFloat32 => 4,
        _ => 8,
    };
}
