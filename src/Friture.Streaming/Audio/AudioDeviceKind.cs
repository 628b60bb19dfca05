namespace Friture.Streaming.Audio;

/// <summary>What kind of endpoint a <see cref="WindowsAudioDevice"/> is.</summary>
public enum AudioDeviceKind
{
    /// <summary>A WASAPI capture endpoint (microphone, line in, or a monitor of an output).</summary>
    WasapiCapture,

    /// <summary>A WASAPI render endpoint (speakers); capture it with <see cref="WasapiAudioSource.Loopback"/>.</summary>
    WasapiRender,

    /// <summary>A WinMM WaveIn device; capture it with <see cref="WaveInAudioSource.OpenWaveIn"/>.</summary>
    WaveIn,
}
