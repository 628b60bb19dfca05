namespace Friture.Streaming.Hosting;

/// <summary>Where a hosted pipeline's audio comes from.</summary>
public enum FritureInputKind
{
    /// <summary>The default capture device (PulseAudio on Linux) when one exists, else the built-in demo signal.</summary>
    Auto,

    /// <summary>A capture device (PulseAudio on Linux); fails when none can be opened.</summary>
    Capture,

    /// <summary>A WAV file (<see cref="FritureInputOptions.WavPath"/>).</summary>
    Wav,

    /// <summary>The signal generator (<see cref="FritureInputOptions.Generator"/>).</summary>
    Generator,

    /// <summary>No audio: only data published by the application.</summary>
    None,
}
