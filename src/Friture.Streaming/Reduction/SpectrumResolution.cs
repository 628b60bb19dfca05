namespace Friture.Streaming.Reduction;

/// <summary>
/// A point budget and frequency range for a spectrum-like payload (<c>fft_spectrum</c>, <c>spectrogram</c>): the
/// bins between <see cref="MinFrequencyHz"/> and <see cref="MaxFrequencyHz"/> are gathered into
/// <see cref="Points"/> bands, each reporting the maximum of the bins it covers.
/// </summary>
/// <remarks>
/// The maximum (not the mean) keeps narrow peaks visible at any budget. A band narrower than the bin spacing reads the
/// level interpolated at its centre. When the range holds no more bins than the budget, the bins are passed through,
/// cropped to the range. Values are immutable and compared by value, so equal requests share one reduced payload.
/// </remarks>
public sealed record SpectrumResolution
{
    /// <summary>The smallest budget, 2 points.</summary>
    public const int MinPoints = 2;

    /// <summary>The largest budget, 65,536 points.</summary>
    public const int MaxPoints = 65_536;

    /// <summary>Number of output points (bands), <see cref="MinPoints"/> to <see cref="MaxPoints"/>. Default 80 (1/8 octave from 20 Hz to 20 kHz).</summary>
    public int Points { get; init; } = 80;

    /// <summary>Lowest frequency kept, in Hz; above 0 for the log scale. Default 20 Hz.</summary>
    public double MinFrequencyHz { get; init; } = 20;

    /// <summary>Highest frequency kept, in Hz (clamped to the payload's highest bin). Default 20,000 Hz.</summary>
    public double MaxFrequencyHz { get; init; } = 20_000;

    /// <summary>Band spacing. Default <see cref="SpectrumScale.Log"/>.</summary>
    public SpectrumScale Scale { get; init; } = SpectrumScale.Log;

    /// <summary>Checks the values; the message names the bad one and the allowed range.</summary>
    /// <param name="name">The wire name of the data type, for the message (<c>fft_spectrum</c>).</param>
    /// <returns>An error message, or <see langword="null"/> when the values are valid.</returns>
    public string? Validate(string name)
    {
        if (Points is < MinPoints or > MaxPoints)
        {
            return $"{name}.points is {Points}; it must be between {MinPoints} and {MaxPoints} (or use resolution=full).";
        }

        if (!double.IsFinite(MinFrequencyHz) || MinFrequencyHz < 0 || (Scale == SpectrumScale.Log && MinFrequencyHz <= 0))
        {
            return $"{name}.fmin is {MinFrequencyHz} Hz; it must be a finite frequency above 0 Hz (0 is allowed with scale=linear).";
        }

        if (!double.IsFinite(MaxFrequencyHz) || MaxFrequencyHz <= MinFrequencyHz)
        {
            return $"{name}.fmax is {MaxFrequencyHz} Hz; it must be a finite frequency above fmin ({MinFrequencyHz} Hz).";
        }

        return Enum.IsDefined(Scale) ? null : $"{name}.scale is {Scale}; it must be log or linear.";
    }
}
