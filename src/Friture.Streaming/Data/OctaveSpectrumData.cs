using System.Collections.Immutable;

namespace Friture.Streaming.Data;

/// <summary>Octave or fractional-octave band levels (the Friture "Octave Spectrum" dock).</summary>
/// <remarks>Wire name <c>octave_spectrum</c>. Levels are band powers in dBFS (a full-scale sine in a band reads -3.01 dB).</remarks>
public sealed record OctaveSpectrumData : StreamingPayload
{
    /// <summary>Exact mid-band frequencies in Hz (IEC 61260-1).</summary>
    public ImmutableArray<float> CenterFrequencies { get; init; } = [];

    /// <summary>Lower band-edge frequencies in Hz.</summary>
    public ImmutableArray<float> LowerFrequencies { get; init; } = [];

    /// <summary>Upper band-edge frequencies in Hz.</summary>
    public ImmutableArray<float> UpperFrequencies { get; init; } = [];

    /// <summary>Band level in dBFS, one per band, weighting applied.</summary>
    public ImmutableArray<float> BandEnergiesDb { get; init; } = [];

    /// <summary>Nominal band labels (for example <c>31.5</c>, <c>1k</c>).</summary>
    public ImmutableArray<string> BandLabels { get; init; } = [];

    /// <summary>Bands per octave: 1, 3, 6, 12 or 24.</summary>
    public int BandsPerOctave { get; init; }

    /// <summary>Frequency weighting: <c>A</c>, <c>B</c>, <c>C</c>, <c>Z</c> or <c>none</c>.</summary>
    public string Weighting { get; init; } = "none";

    /// <summary>Exponential integration time in seconds.</summary>
    public double ResponseTime { get; init; }

    /// <summary>Sum of all band powers in dBFS.</summary>
    public double OverallLevel { get; init; }

    /// <inheritdoc/>
    public override long EstimateSizeBytes() =>
        96 + (4L * (CenterFrequencies.Length * 4)) + (BandLabels.Length * 32L);
}
