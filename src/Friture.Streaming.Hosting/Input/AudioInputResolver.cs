using System.Globalization;
using Friture.Streaming.Audio;

namespace Friture.Streaming.Hosting.Input;

/// <summary>Opens the audio source that <see cref="FritureInputOptions"/> describe, and says in one sentence which it is.</summary>
internal static class AudioInputResolver
{
    public static (IAudioSource? Source, string Description) Resolve(FritureInputOptions input)
    {
        switch (input.Kind)
        {
            case FritureInputKind.None:
                return (null, "no audio input (data published by the application only)");
            case FritureInputKind.Wav:
                var wav = new WavFileSource(input.WavPath!, new WavFileSourceOptions { Loop = input.Loop, RealTime = input.RealTime });
                return (wav, string.Create(CultureInfo.InvariantCulture,
                    $"WAV file {input.WavPath} ({wav.Format.SampleRate} Hz, {wav.Format.Channels} ch, {wav.Duration.TotalSeconds:0.0} s{(input.Loop ? ", looping" : string.Empty)})"));
            case FritureInputKind.Generator:
                input.Generator.RealTime = input.RealTime;
                return (new SignalGeneratorSource(input.Generator), "signal generator: " + Describe(input.Generator));
            case FritureInputKind.Capture:
                if (OperatingSystem.IsWindows())
                {
                    var wasapi = WasapiAudioSource.Capture(input.Device, Windows(input));
                    return (wasapi, Describe(wasapi));
                }

                if (!OperatingSystem.IsLinux())
                {
                    throw NoCapture("Live capture");
                }

                return (Capture(input, input.Device), $"capture device {input.Device ?? "(PulseAudio default source)"}");
            case FritureInputKind.Loopback:
                if (OperatingSystem.IsWindows())
                {
                    var loopback = WasapiAudioSource.Loopback(input.Device, Windows(input));
                    return (loopback, Describe(loopback));
                }

                if (!OperatingSystem.IsLinux())
                {
                    throw NoCapture("Loopback capture");
                }

                return (Capture(input, input.Device ?? "@DEFAULT_MONITOR@"), $"what plays: {input.Device ?? "monitor of the default PulseAudio output"}");
            case FritureInputKind.WaveIn:
                if (!OperatingSystem.IsWindows())
                {
                    throw new AudioSourceException("input.kind WaveIn (--wavein) is WinMM, on Windows only; on Linux use Capture (PulseAudio or PipeWire).");
                }

                var waveIn = WaveInAudioSource.OpenWaveIn(WaveInDevice(input.Device), input.SampleRate, input.Channels, Windows(input));
                return (waveIn, Describe(waveIn));
            default:
                if (OperatingSystem.IsWindows())
                {
                    try
                    {
                        var wasapi = WasapiAudioSource.Capture(null, Windows(input));
                        return (wasapi, "default capture device " + Describe(wasapi));
                    }
                    catch (AudioSourceException ex)
                    {
                        var fallback = DemoSignal();
                        return (new SignalGeneratorSource(fallback), $"built-in demo signal ({Describe(fallback)}): {ex.Message}");
                    }
                }

                var reason = "live capture is supported on Windows (WASAPI) and Linux (PulseAudio, PipeWire)";
                if (OperatingSystem.IsLinux())
                {
                    if (FindDefaultDevice(input, out var device, out var error))
                    {
                        return (Capture(input, device.Name), $"default capture device {device.Name} ({device.Description})");
                    }

                    reason = error ?? "no capture device";
                }

                var demo = DemoSignal();
                return (new SignalGeneratorSource(demo), $"built-in demo signal ({Describe(demo)}): {reason}");
        }
    }

    /// <summary>
    /// The demo signal: a 440 Hz tone (A4) over pink noise with a noise burst every second, stereo, the second channel
    /// 1 ms late, so every analyzer has something true to show (the noise carries the delay; a pure sine cannot).
    /// </summary>
    public static SignalGeneratorOptions DemoSignal() => new()
    {
        Waveform = SignalWaveform.Demo,
        FrequencyHz = 440,
        LevelDbfs = -12,
        Channels = 2,
        InterChannelDelaySeconds = 0.001,
    };

    public static string Describe(SignalGeneratorOptions g) => g.Waveform switch
    {
        SignalWaveform.Sine => string.Create(CultureInfo.InvariantCulture, $"{g.FrequencyHz:0.###} Hz sine at {g.LevelDbfs:0.#} dBFS, {g.Channels} ch, {g.SampleRate} Hz"),
        SignalWaveform.Sweep => string.Create(CultureInfo.InvariantCulture, $"sweep {g.SweepStartHz:0.#}..{g.SweepEndHz:0.#} Hz over {g.SweepDurationSeconds:0.##} s at {g.LevelDbfs:0.#} dBFS, {g.Channels} ch"),
        SignalWaveform.Burst => string.Create(CultureInfo.InvariantCulture, $"burst every {g.BurstIntervalSeconds:0.###} s at {g.LevelDbfs:0.#} dBFS, {g.Channels} ch"),
        SignalWaveform.Demo => string.Create(CultureInfo.InvariantCulture, $"{g.FrequencyHz:0.###} Hz tone at {g.LevelDbfs:0.#} dBFS over pink noise with a 0.25 s noise burst every {g.BurstIntervalSeconds:0.###} s, {g.Channels} ch, channel 2 {g.InterChannelDelaySeconds * 1000:0.###} ms late, {g.SampleRate} Hz"),
        SignalWaveform.WhiteNoise => string.Create(CultureInfo.InvariantCulture, $"white noise at {g.LevelDbfs:0.#} dBFS, {g.Channels} ch"),
        _ => string.Create(CultureInfo.InvariantCulture, $"pink noise at {g.LevelDbfs:0.#} dBFS, {g.Channels} ch"),
    };

    private static AudioSourceException NoCapture(string what) =>
        new($"{what} uses WASAPI on Windows and PulseAudio (or PipeWire) on Linux; this system has neither. Use a WAV file or the generator.");

    private static NAudioCaptureOptions Windows(FritureInputOptions input) => new() { SampleRate = input.SampleRate };

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static string Describe(WasapiAudioSource source) => Describe(source, source.IsResampling);

    private static string Describe(WaveInAudioSource source) => Describe(source, source.IsResampling);

    private static string Describe(IAudioSource source, bool resampled) => string.Create(CultureInfo.InvariantCulture,
        $"{source.Name} ({source.Format.SampleRate} Hz, {source.Format.Channels} ch{(resampled ? ", resampled from the device's rate" : string.Empty)})");

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static int WaveInDevice(string? device)
    {
        if (string.IsNullOrWhiteSpace(device))
        {
            return -1;
        }

        if (int.TryParse(device, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var matches = WindowsAudioDevices.List()
            .Where(d => d.Kind == AudioDeviceKind.WaveIn && d.Name.Contains(device, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return matches.Count switch
        {
            1 => int.Parse(matches[0].Id, CultureInfo.InvariantCulture),
            0 => throw new AudioSourceException($"WaveIn device '{device}' was not found (see --list-devices)."),
            _ => throw new AudioSourceException($"WaveIn device '{device}' matches {matches.Count} devices; give its number (see --list-devices)."),
        };
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static PulseAudioSource Capture(FritureInputOptions input, string? device) =>
        new(new PulseAudioSourceOptions { DeviceName = device, SampleRate = input.SampleRate, Channels = input.Channels });

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static bool FindDefaultDevice(FritureInputOptions input, out PulseAudioDevice device, out string? error)
    {
        device = null!;
        error = null;
        try
        {
            foreach (var candidate in PulseAudioSource.ListDevices(timeout: TimeSpan.FromSeconds(2)))
            {
                // A monitor of an output (for example a null sink) records what is played, not a microphone.
                if (candidate.IsDefault && !candidate.IsMonitor && (input.Device is null || candidate.Name == input.Device))
                {
                    device = candidate;
                    return true;
                }
            }

            error = "no default PulseAudio capture source other than a monitor";
            return false;
        }
        catch (AudioSourceException ex)
        {
            error = ex.Message;
            return false;
        }
    }
}
