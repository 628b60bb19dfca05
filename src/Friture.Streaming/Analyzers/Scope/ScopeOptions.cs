namespace Friture.Streaming.Analyzers.Scope;

/// <summary>Settings of a <see cref="ScopeProducer"/>. Validated once, when the producer is created.</summary>
public sealed class ScopeOptions
{
    /// <summary>Shortest window, 0.1 ms.</summary>
    public const double MinWindowSeconds = 0.0001;

    /// <summary>Longest window, 10 s.</summary>
    public const double MaxWindowSeconds = 10;

    /// <summary>Length of the time window in seconds, 0.0001 to 10. Default 0.05 (50 ms, as Friture).</summary>
    public double WindowSeconds { get; set; } = 0.05;

    /// <summary>Triggering. Default <see cref="ScopeTriggerMode.RisingEdge"/>.</summary>
    public ScopeTriggerMode TriggerMode { get; set; } = ScopeTriggerMode.RisingEdge;

    /// <summary>
    /// Trigger level in full-scale units, -1 to 1, or <see langword="null"/> for automatic: two thirds of the largest
    /// absolute sample of the trigger channel in the searched history (Friture's rule). Default automatic.
    /// </summary>
    public double? TriggerLevel { get; set; }

    /// <summary>Channel the trigger looks at (1-based) or the mono sum. Default channel 1.</summary>
    public ChannelSelection TriggerChannel { get; set; } = ChannelSelection.First;

    /// <summary>
    /// Reduce each channel to at most this many points (0 = every sample), keeping the minimum and maximum of each of
    /// MaxPoints / 2 equal time slices so peaks survive. 0, or 4 to 1000000. Default 0.
    /// </summary>
    public int MaxPoints { get; set; }

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public ScopeOptions Clone() => (ScopeOptions)MemberwiseClone();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
        if (!(WindowSeconds is >= MinWindowSeconds and <= MaxWindowSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSeconds), WindowSeconds, $"WindowSeconds is {WindowSeconds} s; it must be between {MinWindowSeconds} and {MaxWindowSeconds} s.");
        }

        if (!Enum.IsDefined(TriggerMode))
        {
            throw new ArgumentOutOfRangeException(nameof(TriggerMode), TriggerMode, $"TriggerMode is {TriggerMode}; it must be RisingEdge or FreeRunning.");
        }

        if (TriggerLevel is { } level && !(level is >= -1 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TriggerLevel), level, $"TriggerLevel is {level}; it must be between -1 and 1, or null for automatic.");
        }

        if (MaxPoints != 0 && MaxPoints is < 4 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPoints), MaxPoints, $"MaxPoints is {MaxPoints}; it must be 0 (no reduction) or between 4 and 1000000.");
        }
    }
}
