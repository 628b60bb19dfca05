namespace Friture.Streaming.Audio;

/// <summary>How a <see cref="WavFileSource"/> plays its file.</summary>
/// <remarks>Validated once, when the source is created; each error names the option, the value and the allowed range.</remarks>
public sealed class WavFileSourceOptions
{
    /// <summary>
    /// Whether reads are paced to the clock of <see cref="TimeProvider"/> (the file plays like a live input) or return
    /// as fast as the disk allows (offline analysis). Default <see langword="true"/>.
    /// </summary>
    public bool RealTime { get; set; } = true;

    /// <summary>Whether the file starts again at its end; the audio clock keeps counting. Default <see langword="false"/>.</summary>
    public bool Loop { get; set; }

    /// <summary>
    /// In real time, how far the reader may fall behind the clock, in seconds (0.01 to 60), and then catch up by reading
    /// faster than real time; beyond it the clock waits for the reader (no audio is ever skipped from a file). Default 0.5.
    /// </summary>
    public double MaxLagSeconds { get; set; } = 0.5;

    /// <summary>The clock for real-time pacing. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        AudioOptionChecks.Range(nameof(MaxLagSeconds), MaxLagSeconds, 0.01, 60, "s");
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
