namespace Friture.Streaming.Reduction;

/// <summary>
/// A point budget for <c>scope</c> payloads: each channel's samples are cut into <see cref="Points"/> / 2 equal spans
/// and each span is sent as its minimum and maximum, in the order they occur, so the envelope of the waveform (every
/// peak) survives the reduction.
/// </summary>
/// <remarks>
/// The <c>times</c> array gets, for each span, the time of its first and of its last sample. A payload with no more
/// samples than the budget is passed through unchanged. The reduced payload has <c>reduced = true</c>.
/// </remarks>
public sealed record ScopeResolution
{
    /// <summary>The smallest budget, 4 points (2 min/max pairs).</summary>
    public const int MinPoints = 4;

    /// <summary>The largest budget, 65,536 points.</summary>
    public const int MaxPoints = 65_536;

    /// <summary>Output points per channel, an even number from <see cref="MinPoints"/> to <see cref="MaxPoints"/>. Default 64 (32 min/max pairs).</summary>
    public int Points { get; init; } = 64;

    /// <summary>Checks the value; the message names it and the allowed range.</summary>
    /// <returns>An error message, or <see langword="null"/> when valid.</returns>
    public string? Validate() =>
        Points is < MinPoints or > MaxPoints || Points % 2 != 0
            ? $"scope.points is {Points}; it must be an even number between {MinPoints} and {MaxPoints} (min/max pairs), or use resolution=full."
            : null;
}
