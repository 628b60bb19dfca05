using System.Collections.Immutable;

namespace Friture.Streaming.Data;

/// <summary>A time-domain waveform window (the Friture "Scope" dock).</summary>
/// <remarks>Wire name <c>scope</c>. Samples are in full-scale units (-1 to 1).</remarks>
public sealed record ScopeData : StreamingPayload
{
    /// <summary>Times of the points relative to the trigger (or to the window start when free-running), in seconds.</summary>
    public ImmutableArray<float> Times { get; init; } = [];

    /// <summary>Samples per channel: <c>Samples[c][i]</c> is channel <c>c</c> at <c>Times[i]</c>.</summary>
    public ImmutableArray<ImmutableArray<float>> Samples { get; init; } = [];

    /// <summary>Channel labels, 1-based (for example <c>ch1</c>).</summary>
    public ImmutableArray<string> ChannelLabels { get; init; } = [];

    /// <summary>Window length in seconds.</summary>
    public double WindowSeconds { get; init; }

    /// <summary>Whether the window is aligned on a trigger (false when free-running or when no trigger was found).</summary>
    public bool Triggered { get; init; }

    /// <summary>Whether points were reduced (min/max preserving) from the raw samples.</summary>
    public bool Reduced { get; init; }

    /// <inheritdoc/>
    public override long EstimateSizeBytes()
    {
        long total = 96 + (4L * Times.Length);
        foreach (var channel in Samples)
        {
            total += 24 + (4L * channel.Length);
        }

        return total;
    }
}
