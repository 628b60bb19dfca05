using Friture.Streaming.Audio;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Hosting;

/// <summary>The audio input of a hosted pipeline (<c>Friture:Streaming:input</c>).</summary>
public sealed class FritureInputOptions
{
    /// <summary>Which input: <c>Auto</c> (default), <c>Capture</c>, <c>Loopback</c>, <c>WaveIn</c>, <c>Wav</c>, <c>Generator</c> or <c>None</c>.</summary>
    [ConfigurationKeyName("kind")]
    public FritureInputKind Kind { get; set; } = FritureInputKind.Auto;

    /// <summary>
    /// Capture, Loopback, WaveIn: the device, or null (the default) for the system's default. Windows: a WASAPI endpoint's
    /// id, name or a unique part of the name (WaveIn: a device number or name); Linux: a PulseAudio source name.
    /// </summary>
    [ConfigurationKeyName("device")]
    public string? Device { get; set; }

    /// <summary>
    /// Capture: sample rate in Hz, 8,000 to 192,000. Default 48,000. PulseAudio converts for itself; on Windows an endpoint
    /// at another rate is resampled with NAudio's WDL resampler.
    /// </summary>
    [ConfigurationKeyName("sample_rate")]
    public int SampleRate { get; set; } = 48_000;

    /// <summary>
    /// Capture: channel count, 1 to 32. Default 2 (so the delay estimator has two channels). WASAPI delivers the endpoint's
    /// own channel count; WaveIn and PulseAudio deliver this one.
    /// </summary>
    [ConfigurationKeyName("channels")]
    public int Channels { get; set; } = 2;

    /// <summary>Wav: the file to analyse (WAV, or AIFF / AIFF-C uncompressed).</summary>
    [ConfigurationKeyName("wav_path")]
    public string? WavPath { get; set; }

    /// <summary>Wav: start again at the end instead of ending. Default false.</summary>
    [ConfigurationKeyName("loop")]
    public bool Loop { get; set; }

    /// <summary>Wav and Generator: pace reading at the audio's own rate (true, the default) or as fast as possible.</summary>
    [ConfigurationKeyName("real_time")]
    public bool RealTime { get; set; } = true;

    /// <summary>Generator: waveform, frequency, level, channels, inter-channel delay (defaults: 440 Hz sine at -6 dBFS, mono).</summary>
    [ConfigurationKeyName("generator")]
    public SignalGeneratorOptions Generator { get; set; } = new();

    /// <summary>Validates the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (SampleRate is < 8_000 or > 192_000)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, $"input.sample_rate is {SampleRate}; it must be between 8000 and 192000 Hz.");
        }

        if (Channels is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, $"input.channels is {Channels}; it must be between 1 and 32.");
        }

        if (Kind == FritureInputKind.Wav && string.IsNullOrWhiteSpace(WavPath))
        {
            throw new ArgumentOutOfRangeException(nameof(WavPath), WavPath, "input.wav_path is missing; input.kind Wav needs a file.");
        }

        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"input.kind is {Kind}; it must be Auto, Capture, Loopback, WaveIn, Wav, Generator or None.");
        }
    }
}
