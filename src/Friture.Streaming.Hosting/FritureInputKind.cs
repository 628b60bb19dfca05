namespace Friture.Streaming.Hosting;

/// <summary>Where a hosted pipeline's audio comes from.</summary>
public enum FritureInputKind
{
    /// <summary>
    /// The default capture device (WASAPI on Windows, PulseAudio or PipeWire on Linux) when one exists, else the built-in
    /// demo signal.
    /// </summary>
    Auto,

    /// <summary>
    /// A capture device: a WASAPI capture endpoint on Windows, a PulseAudio source on Linux
    /// (<see cref="FritureInputOptions.Device"/>, or the default); fails when none can be opened.
    /// </summary>
    Capture,

    /// <summary>A WAV or AIFF file (<see cref="FritureInputOptions.WavPath"/>).</summary>
    Wav,

    /// <summary>The signal generator (<see cref="FritureInputOptions.Generator"/>).</summary>
    Generator,

    /// <summary>No audio: only data published by the application.</summary>
    None,

    /// <summary>
    /// What the machine plays: WASAPI loopback of a render endpoint on Windows (<see cref="FritureInputOptions.Device"/>,
    /// or the default output), the monitor of an output on Linux (<c>@DEFAULT_MONITOR@</c> unless a device is named).
    /// </summary>
    Loopback,

    /// <summary>A WinMM WaveIn device on Windows (<see cref="FritureInputOptions.Device"/>: its number or name; default the WAVE_MAPPER).</summary>
    WaveIn,
}
