namespace Friture.Streaming.Analyzers.DelayEstimator;

/// <summary>Settings of a <see cref="DelayEstimatorProducer"/>. Validated once, when the producer is created.</summary>
public sealed class DelayEstimatorOptions
{
    /// <summary>Shortest delay range, in milliseconds.</summary>
    public const double MinRangeMs = 1;

    /// <summary>Longest delay range, in milliseconds.</summary>
    public const double MaxRangeMs = 1000;

    /// <summary>Reference channel, numbered from 1. Default 1.</summary>
    public int FirstChannel { get; set; } = 1;

    /// <summary>Channel compared with the reference, numbered from 1; a positive delay means it lags. Default 2.</summary>
    public int SecondChannel { get; set; } = 2;

    /// <summary>
    /// Largest delay searched, either sign, in milliseconds, from 1 to 1000. Default 1000 ms (Friture's 1 s). The
    /// analysis frame is twice the range, frames overlap by half, so a 1 s range gives one estimate per second; ranges
    /// above about 340 ms at 48 kHz are analysed after decimation (see <c>docs/analyzers-bands.md</c>).
    /// </summary>
    public double MaxDelayMs { get; set; } = 1000;

    /// <summary>Speed of sound used for <c>distance_m</c>, in m/s, from 100 to 2000. Default 343 m/s (air at 20 degrees C).</summary>
    public double SpeedOfSound { get; set; } = 343;

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public DelayEstimatorOptions Clone() => (DelayEstimatorOptions)MemberwiseClone();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
        if (FirstChannel is < 1 or > Audio.AudioFormat.MaxChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstChannel), FirstChannel, $"FirstChannel is {FirstChannel}; channels are numbered from 1 to {Audio.AudioFormat.MaxChannels}.");
        }

        if (SecondChannel is < 1 or > Audio.AudioFormat.MaxChannels || SecondChannel == FirstChannel)
        {
            throw new ArgumentOutOfRangeException(nameof(SecondChannel), SecondChannel,
                $"SecondChannel is {SecondChannel}; it must be from 1 to {Audio.AudioFormat.MaxChannels} and differ from FirstChannel ({FirstChannel}).");
        }

        if (!(MaxDelayMs is >= MinRangeMs and <= MaxRangeMs))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelayMs), MaxDelayMs, $"MaxDelayMs is {MaxDelayMs} ms; it must be between {MinRangeMs} and {MaxRangeMs} ms.");
        }

        if (!(SpeedOfSound is >= 100 and <= 2000))
        {
            throw new ArgumentOutOfRangeException(nameof(SpeedOfSound), SpeedOfSound, $"SpeedOfSound is {SpeedOfSound} m/s; it must be between 100 and 2000 m/s.");
        }
    }
}
