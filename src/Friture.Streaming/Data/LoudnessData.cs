using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Friture.Streaming.Data;

/// <summary>Programme loudness after ITU-R BS.1770-4 / EBU R128: momentary, short-term, integrated, range and peaks.</summary>
/// <remarks>
/// <para>
/// Wire name <c>loudness</c>. Loudness is in LUFS (loudness units relative to full scale: a 1 kHz sine at -23 dBFS in
/// both channels of a stereo programme reads -23.0 LUFS), the range in LU, peaks in dBTP (true peak) and dBFS (sample
/// peak). A value is <see langword="null"/> when it is not defined: before its window has been filled once (400 ms for
/// momentary, 3 s for short-term), while no block has passed the gates (integrated, range), or in digital silence.
/// </para>
/// <para>
/// Everything except the momentary and short-term loudness is about the programme: since the producer started or since
/// the last <c>ResetProgramme()</c> (or the control message <c>{"action":"reset","data_type":"loudness"}</c>).
/// </para>
/// </remarks>
public sealed record LoudnessData : StreamingPayload
{
    /// <summary>Momentary loudness (400 ms window, ending at the last frame of the message's block) in LUFS.</summary>
    public double? MomentaryLufs { get; init; }

    /// <summary>Short-term loudness (3 s window) in LUFS.</summary>
    public double? ShortTermLufs { get; init; }

    /// <summary>Gated integrated loudness of the programme (BS.1770-4: -70 LUFS absolute, -10 LU relative gate) in LUFS.</summary>
    public double? IntegratedLufs { get; init; }

    /// <summary>Loudness range of the programme (EBU Tech 3342: 10th to 95th percentile of short-term loudness) in LU.</summary>
    public double? LoudnessRangeLu { get; init; }

    /// <summary>Highest true peak of the programme over every channel, in dBTP.</summary>
    public double? TruePeakDbtp { get; init; }

    /// <summary>Highest sample peak of the programme over every channel, in dBFS.</summary>
    public double? SamplePeakDbfs { get; init; }

    /// <summary>Highest momentary loudness of the programme in LUFS (evaluated at every frame).</summary>
    public double? MaxMomentaryLufs { get; init; }

    /// <summary>Highest short-term loudness of the programme in LUFS (evaluated at every frame).</summary>
    public double? MaxShortTermLufs { get; init; }

    /// <summary>Programme time since the producer started or was reset, in seconds.</summary>
    [JsonPropertyName("duration_s")]
    public double DurationSeconds { get; init; }

    /// <summary>Highest true peak of the programme per channel, in dBTP (null for a silent channel).</summary>
    public ImmutableArray<float?> TruePeakDbtpPerChannel { get; init; } = [];

    /// <summary>Highest sample peak of the programme per channel, in dBFS (null for a silent channel).</summary>
    public ImmutableArray<float?> SamplePeakDbfsPerChannel { get; init; } = [];

    /// <inheritdoc/>
    public override long EstimateSizeBytes() => 160 + (8L * TruePeakDbtpPerChannel.Length);
}
