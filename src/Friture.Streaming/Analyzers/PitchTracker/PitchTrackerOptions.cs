namespace Friture.Streaming.Analyzers.PitchTracker;

/// <summary>Settings of a <see cref="PitchTrackerProducer"/>. Validated once, when the producer is created.</summary>
public sealed class PitchTrackerOptions
{
    /// <summary>Lowest frequency any setting may name, in Hz.</summary>
    public const double LowestFrequency = 40;

    /// <summary>Highest frequency any setting may name, in Hz.</summary>
    public const double HighestFrequency = 2000;

    /// <summary>Lowest fundamental searched, in Hz, from 40 to 2000 and below <see cref="MaxFrequencyHz"/>. Default 65 Hz (C2, as in Friture).</summary>
    public double MinFrequencyHz { get; set; } = 65;

    /// <summary>Highest fundamental searched, in Hz, from 40 to 2000. Default 1047 Hz (C6, as in Friture).</summary>
    public double MaxFrequencyHz { get; set; } = 1047;

    /// <summary>Concert pitch A4 used to name notes, in Hz, from 400 to 480. Default 440 Hz.</summary>
    public double ReferenceA4Hz { get; set; } = 440;

    /// <summary>
    /// Smallest confidence (0 to 1) for a frame to be reported as voiced; below it <c>frequency_hz</c> is null.
    /// Default 0.5 (Friture's threshold). At 10 dB SNR a harmonic tone reads about 0.9; white noise stays below 0.2.
    /// </summary>
    public double ConfidenceThreshold { get; set; } = 0.5;

    /// <summary>Frame RMS below which a frame counts as silent, in dBFS, from -120 to 0. Default -50 dBFS (Friture's gate).</summary>
    public double MinLevelDb { get; set; } = -50;

    /// <summary>Time between estimates, in seconds, from 0.005 to 0.5. Default 0.02133 s (1024 samples at 48 kHz, 46.9 estimates per second as in Friture).</summary>
    public double HopSeconds { get; set; } = 1024.0 / 48000.0;

    /// <summary>Analysed channel (1-based) or the mono sum. Default channel 1.</summary>
    public ChannelSelection Channel { get; set; } = ChannelSelection.First;

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public PitchTrackerOptions Clone() => (PitchTrackerOptions)MemberwiseClone();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
        if (!(MinFrequencyHz is >= LowestFrequency and <= HighestFrequency))
        {
            throw new ArgumentOutOfRangeException(nameof(MinFrequencyHz), MinFrequencyHz,
                $"MinFrequencyHz is {MinFrequencyHz} Hz; it must be between {LowestFrequency} and {HighestFrequency} Hz.");
        }

        if (!(MaxFrequencyHz is >= LowestFrequency and <= HighestFrequency) || MaxFrequencyHz <= MinFrequencyHz * 1.1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrequencyHz), MaxFrequencyHz,
                $"MaxFrequencyHz is {MaxFrequencyHz} Hz; it must be between {LowestFrequency} and {HighestFrequency} Hz and above 1.1 x MinFrequencyHz ({MinFrequencyHz * 1.1} Hz).");
        }

        if (!(ReferenceA4Hz is >= 400 and <= 480))
        {
            throw new ArgumentOutOfRangeException(nameof(ReferenceA4Hz), ReferenceA4Hz, $"ReferenceA4Hz is {ReferenceA4Hz} Hz; it must be between 400 and 480 Hz.");
        }

        if (!(ConfidenceThreshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceThreshold), ConfidenceThreshold, $"ConfidenceThreshold is {ConfidenceThreshold}; it must be between 0 and 1.");
        }

        if (!(MinLevelDb is >= -120 and <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MinLevelDb), MinLevelDb, $"MinLevelDb is {MinLevelDb} dBFS; it must be between -120 and 0 dBFS.");
        }

        if (!(HopSeconds is >= 0.005 and <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(HopSeconds), HopSeconds, $"HopSeconds is {HopSeconds} s; it must be between 0.005 and 0.5 s.");
        }
    }
}
