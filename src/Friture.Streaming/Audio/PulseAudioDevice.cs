namespace Friture.Streaming.Audio;

/// <summary>A PulseAudio (or PipeWire-pulse) capture source, as listed by <see cref="PulseAudioSource.ListDevices"/>.</summary>
/// <param name="Name">The source name to pass as <see cref="PulseAudioSourceOptions.DeviceName"/> (for example <c>alsa_input.usb-...</c> or <c>my_sink.monitor</c>).</param>
/// <param name="Description">Human-readable description.</param>
/// <param name="SampleRate">The source's native sample rate in Hz (capture may ask for another; the server resamples).</param>
/// <param name="Channels">The source's native channel count.</param>
/// <param name="IsMonitor">Whether this is the monitor of an output (what is being played), not a microphone.</param>
/// <param name="IsDefault">Whether this is the server's default source.</param>
public sealed record PulseAudioDevice(string Name, string Description, int SampleRate, int Channels, bool IsMonitor, bool IsDefault);
