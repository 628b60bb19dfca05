namespace Friture.Streaming.Audio;

/// <summary>How samples are stored in a WAV file.</summary>
public enum WavSampleFormat
{
    /// <summary>Unsigned 8-bit integer PCM (read only; full scale 128).</summary>
    Pcm8,

    /// <summary>Signed 16-bit integer PCM (full scale 32768).</summary>
    Pcm16,

    /// <summary>Signed 24-bit integer PCM, packed in 3 bytes (full scale 8388608).</summary>
    Pcm24,

    /// <summary>Signed 32-bit integer PCM (full scale 2147483648).</summary>
    Pcm32,

    /// <summary>IEEE 754 32-bit float, full scale ±1.0.</summary>
    IeeeFloat32,

    /// <summary>IEEE 754 64-bit float, full scale ±1.0.</summary>
    IeeeFloat64,
}
