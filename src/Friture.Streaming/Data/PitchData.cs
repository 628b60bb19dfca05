using System.Text.Json.Serialization;

namespace Friture.Streaming.Data;

/// <summary>Result of the pitch tracker for one analysis frame.</summary>
/// <remarks>Wire name <c>pitch_tracker</c>. All fields refer to the frame that ends at the message's <c>stream_time</c>.</remarks>
public sealed record PitchData : StreamingPayload
{
    /// <summary>Detected fundamental frequency in Hz, or <see langword="null"/> when the frame is unvoiced or silent.</summary>
    public double? FrequencyHz { get; init; }

    /// <summary>Confidence of the estimate, 0 to 1 (a real figure from the tracker, not a constant).</summary>
    public double Confidence { get; init; }

    /// <summary>Nearest equal-tempered note (for example <c>A4</c>), or <see langword="null"/> when no pitch was found.</summary>
    public string? NoteName { get; init; }

    /// <summary>Deviation of <see cref="FrequencyHz"/> from <see cref="NoteName"/> in cents (-50 to +50), or <see langword="null"/>.</summary>
    public double? CentsOffset { get; init; }

    /// <summary>Frame RMS level in dBFS (a full-scale sine reads -3.01 dBFS).</summary>
    public double AmplitudeDb { get; init; }

    /// <summary>Clarity of the harmonic structure, 0 (noise-like) to 1 (perfectly periodic).</summary>
    public double HarmonicClarity { get; init; }

    /// <summary>Concert pitch used to name notes, in Hz (default 440).</summary>
    [JsonPropertyName("reference_a4_hz")]
    public double ReferenceA4Hz { get; init; } = 440.0;
}
