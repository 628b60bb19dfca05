namespace Friture.Streaming.Audio;

/// <summary>Settings shared by the NAudio capture sources (<see cref="WaveInAudioSource"/>, <see cref="WasapiAudioSource"/>).</summary>
/// <remarks>Validated once, when the source is created; each error names the option, the value and the allowed range.</remarks>
public sealed class NAudioCaptureOptions
{
    /// <summary>
    /// The rate the library analyses at, in Hz (8000 to 192000); a device running at another rate is resampled with
    /// NAudio's WDL resampler (64-tap windowed sinc). 0 keeps the device's own rate. Default 0.
    /// </summary>
    public int SampleRate { get; set; }

    /// <summary>
    /// How much audio, in seconds (0.05 to 60), waits between the device's thread and the capture loop before the
    /// oldest is dropped (counted as an overrun). Default 1.
    /// </summary>
    public double BufferSeconds { get; set; } = 1;

    internal void Validate()
    {
        if (SampleRate != 0)
        {
            AudioOptionChecks.Range(nameof(SampleRate), SampleRate, AudioFormat.MinSampleRate, AudioFormat.MaxSampleRate, "Hz");
        }

        AudioOptionChecks.Range(nameof(BufferSeconds), BufferSeconds, 0.05, 60, "s");
    }
}
