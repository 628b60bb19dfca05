namespace Friture.Streaming.Audio;

/// <summary>Settings of a <see cref="PulseAudioSource"/>.</summary>
/// <remarks>Validated once, when the source is created; each error names the option, the value and the allowed range.</remarks>
public sealed class PulseAudioSourceOptions
{
    /// <summary>
    /// The source to capture (a name from <see cref="PulseAudioSource.ListDevices"/>); <see langword="null"/> (the
    /// default) captures from the server's default source.
    /// </summary>
    public string? DeviceName { get; set; }

    /// <summary>The server to connect to (for example <c>unix:/run/user/1000/pulse/native</c>); <see langword="null"/> (the default) uses the usual lookup (<c>PULSE_SERVER</c>, the user's runtime directory).</summary>
    public string? Server { get; set; }

    /// <summary>Sample rate in Hz, 8000 to 192000; the server resamples when the device runs at another rate. Default 48000.</summary>
    public int SampleRate { get; set; } = 48_000;

    /// <summary>Channel count, 1 to 32; the server remixes when the device has another count. Default 2.</summary>
    public int Channels { get; set; } = 2;

    /// <summary>
    /// Frames the server sends at a time (its fragment size), 16 to 65536; match the capture block size for the lowest
    /// latency. Default 512.
    /// </summary>
    public int FragmentFrames { get; set; } = 512;

    /// <summary>Application name shown by the server (pavucontrol, <c>pactl list source-outputs</c>). Default <c>Friture.Streaming</c>.</summary>
    public string ApplicationName { get; set; } = "Friture.Streaming";

    internal AudioFormat Validate()
    {
        var format = AudioOptionChecks.Format(SampleRate, Channels);
        AudioOptionChecks.Range(nameof(FragmentFrames), FragmentFrames, 16, 65_536, "frames");
        ArgumentException.ThrowIfNullOrWhiteSpace(ApplicationName, nameof(ApplicationName));
        return format;
    }
}
