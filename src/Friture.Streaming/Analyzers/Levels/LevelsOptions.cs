using Friture.Streaming.Dsp.Weighting;

namespace Friture.Streaming.Analyzers.Levels;

/// <summary>Settings of a <see cref="LevelsProducer"/>. Validated once, when the producer is created.</summary>
public sealed class LevelsOptions
{
    /// <summary>Time weighting of the RMS level. Default <see cref="LevelTimeWeighting.Friture"/> (300 ms).</summary>
    public LevelTimeWeighting TimeWeighting { get; set; } = LevelTimeWeighting.Friture;

    /// <summary>Frequency weighting applied before every detector: Z (none), A or C. Default Z.</summary>
    public FrequencyWeighting Weighting { get; set; } = FrequencyWeighting.Z;

    /// <summary>
    /// Release time constant of the peak meter in seconds (attack is instant), 0 to 10. The reported peak is the highest
    /// value of this envelope since the previous message, so no sample peak is missed. Default 0.025 s (Friture's 25 ms).
    /// </summary>
    public double PeakReleaseTime { get; set; } = 0.025;

    /// <summary>How long the peak-hold level stays at a new maximum, in seconds, 0 to 60. Default 0.341 s (as Friture).</summary>
    public double PeakHoldTime { get; set; } = 0.341;

    /// <summary>How fast the peak-hold level falls after the hold time, in dB per second, greater than 0 up to 1000. Default 20 dB/s.</summary>
    public double PeakHoldFallRate { get; set; } = 20;

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public LevelsOptions Clone() => (LevelsOptions)MemberwiseClone();

    /// <summary>Time constant of the RMS weighting on rising levels, in seconds.</summary>
    internal double RiseTime => TimeWeighting switch
    {
        LevelTimeWeighting.Fast => 0.125,
        LevelTimeWeighting.Slow => 1.0,
        LevelTimeWeighting.Impulse => 0.035,
        _ => 0.3,
    };

    /// <summary>Time constant of the RMS weighting on falling levels, in seconds.</summary>
    internal double FallTime => TimeWeighting == LevelTimeWeighting.Impulse ? 1.5 : RiseTime;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(TimeWeighting))
        {
            throw new ArgumentOutOfRangeException(nameof(TimeWeighting), TimeWeighting, $"TimeWeighting is {TimeWeighting}; it must be Friture, Fast, Slow or Impulse.");
        }

        if (Weighting is not (FrequencyWeighting.Z or FrequencyWeighting.A or FrequencyWeighting.C))
        {
            throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, $"Weighting is {Weighting}; levels support Z, A or C.");
        }

        if (!(PeakReleaseTime is >= 0 and <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(PeakReleaseTime), PeakReleaseTime, $"PeakReleaseTime is {PeakReleaseTime} s; it must be between 0 and 10 s.");
        }

        if (!(PeakHoldTime is >= 0 and <= 60))
        {
            throw new ArgumentOutOfRangeException(nameof(PeakHoldTime), PeakHoldTime, $"PeakHoldTime is {PeakHoldTime} s; it must be between 0 and 60 s.");
        }

        if (!(PeakHoldFallRate is > 0 and <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(PeakHoldFallRate), PeakHoldFallRate, $"PeakHoldFallRate is {PeakHoldFallRate} dB/s; it must be greater than 0 and at most 1000 dB/s.");
        }
    }
}
