using System.Collections.Immutable;

namespace Friture.Streaming.Data;

/// <summary>One spectrogram column (the Friture "2D Spectrogram" dock).</summary>
/// <remarks>Wire name <c>spectrogram</c>. The column's time is the message's <c>stream_time</c> (end of the analysed frame).</remarks>
public sealed record SpectrogramData : StreamingPayload
{
    /// <summary>Output bin centre frequencies in Hz, spaced on <see cref="FrequencyScale"/>.</summary>
    public ImmutableArray<float> Frequencies { get; init; } = [];

    /// <summary>Level per output bin in dBFS (calibrated like <see cref="FftSpectrumData.MagnitudesDb"/>).</summary>
    public ImmutableArray<float> MagnitudesDb { get; init; } = [];

    /// <summary>FFT size in samples.</summary>
    public int FftSize { get; init; }

    /// <summary>Overlap between successive columns, 0 to less than 1.</summary>
    public double OverlapFactor { get; init; }

    /// <summary>Frequency scale of the output bins: <c>linear</c>, <c>log</c>, <c>mel</c>, <c>erb</c> or <c>octave</c>.</summary>
    public string FrequencyScale { get; init; } = "linear";

    /// <summary>Lowest output frequency in Hz.</summary>
    public double MinFrequency { get; init; }

    /// <summary>Highest output frequency in Hz.</summary>
    public double MaxFrequency { get; init; }

    /// <inheritdoc/>
    public override long EstimateSizeBytes() => 96 + (4L * (Frequencies.Length + MagnitudesDb.Length));
}
