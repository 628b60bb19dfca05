namespace Friture.Streaming.Audio;

/// <summary>One Windows audio endpoint, as <see cref="WindowsAudioDevices.List"/> reports it.</summary>
/// <param name="Id">The endpoint id (WASAPI) or device number (WaveIn, as text); pass it, or the name, to the sources.</param>
/// <param name="Name">The friendly name.</param>
/// <param name="Kind">Capture, render or WaveIn.</param>
/// <param name="IsDefault">Whether the system's default endpoint of its kind (console role; WaveIn: device 0).</param>
/// <param name="SampleRate">The shared-mode mix rate in Hz (0 when unknown).</param>
/// <param name="Channels">The shared-mode channel count (0 when unknown).</param>
public sealed record WindowsAudioDevice(string Id, string Name, AudioDeviceKind Kind, bool IsDefault, int SampleRate, int Channels);
