namespace Friture.Streaming.Audio;

/// <summary>How a <see cref="SampleProviderAudioSource"/> reads its NAudio chain.</summary>
/// <remarks>Validated once, when the source is created; each error names the option, the value and the allowed range.</remarks>
public sealed class SampleProviderSourceOptions
{
    /// <summary>
    /// Whether reads are paced to the clock of <see cref="TimeProvider"/> (a file chain plays like a live input) or return
    /// as fast as the chain produces (offline analysis). Default <see langword="true"/>.
    /// </summary>
    public bool RealTime { get; set; } = true;

    /// <summary>
    /// In real time, how far the reader may fall behind the clock, in seconds (0.01 to 60), before the clock waits for it;
    /// nothing read from the chain is ever dropped. Default 0.5.
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
