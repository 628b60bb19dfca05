using System.Collections.Immutable;

namespace Friture.Streaming.Data;

/// <summary>Peak, RMS and peak-hold levels per channel (the Friture "Levels" dock).</summary>
/// <remarks>
/// Wire name <c>levels</c>. All levels are in dBFS: a full-scale sine reads 0.00 dBFS peak and -3.01 dBFS RMS.
/// Levels never go below <see cref="Decibels.Floor"/> (-200 dBFS, digital silence), so every value is a finite JSON number.
/// </remarks>
public sealed record LevelsData : StreamingPayload
{
    /// <summary>Sample peak per channel in dBFS (peak ballistics as configured).</summary>
    public ImmutableArray<float> PeakLevelsDb { get; init; } = [];

    /// <summary>Time-weighted RMS per channel in dBFS.</summary>
    public ImmutableArray<float> RmsLevelsDb { get; init; } = [];

    /// <summary>Peak-hold level per channel in dBFS.</summary>
    public ImmutableArray<float> PeakHoldLevelsDb { get; init; } = [];

    /// <summary>Equivalent continuous level (Leq) per channel since the previous message, in dBFS.</summary>
    public ImmutableArray<float> LeqLevelsDb { get; init; } = [];

    /// <summary>Maximum time-weighted RMS level (Lmax) per channel since the previous message, in dBFS.</summary>
    public ImmutableArray<float> MaxLevelsDb { get; init; } = [];

    /// <summary>Channel labels, 1-based (for example <c>ch1</c>, <c>ch2</c>).</summary>
    public ImmutableArray<string> ChannelLabels { get; init; } = [];

    /// <summary>Frequency weighting applied before level detection: <c>A</c>, <c>C</c> or <c>Z</c>.</summary>
    public string Weighting { get; init; } = "Z";

    /// <summary>RMS integration (time weighting) constant in seconds.</summary>
    public double IntegrationTime { get; init; }

    /// <summary>Peak hold time in seconds.</summary>
    public double PeakHoldTime { get; init; }

    /// <inheritdoc/>
    public override long EstimateSizeBytes() => 96 + (4L * 5 * PeakLevelsDb.Length) + (ChannelLabels.Length * 32L);
}
