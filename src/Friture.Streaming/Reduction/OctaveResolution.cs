namespace Friture.Streaming.Reduction;

/// <summary>
/// Limits for <c>octave_spectrum</c> payloads: only the bands whose centre frequency lies between
/// <see cref="MinFrequencyHz"/> and <see cref="MaxFrequencyHz"/> are sent (every per-band array is cut alike),
/// frequencies rounded to 4 significant digits and levels to 0.01 dB.
/// </summary>
public sealed record OctaveResolution
{
    /// <summary>Lowest band centre kept, in Hz. Default 0 (from the first band).</summary>
    public double MinFrequencyHz { get; init; }

    /// <summary>Highest band centre kept, in Hz. Default 24,000 Hz.</summary>
    public double MaxFrequencyHz { get; init; } = 24_000;

    /// <summary>Checks the values; the message names the bad one.</summary>
    /// <returns>An error message, or <see langword="null"/> when valid.</returns>
    public string? Validate()
    {
        if (!double.IsFinite(MinFrequencyHz) || MinFrequencyHz < 0)
        {
            return $"octave_spectrum.fmin is {MinFrequencyHz} Hz; it must be a finite frequency of 0 Hz or more.";
        }

        return !double.IsFinite(MaxFrequencyHz) || MaxFrequencyHz <= MinFrequencyHz
            ? $"octave_spectrum.fmax is {MaxFrequencyHz} Hz; it must be a finite frequency above fmin ({MinFrequencyHz} Hz)."
            : null;
    }
}
