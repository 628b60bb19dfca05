using Friture.Streaming.Dsp.Weighting;

namespace Friture.Streaming.Analyzers.OctaveSpectrum;

/// <summary>Settings of an <see cref="OctaveSpectrumProducer"/>. Validated once, when the producer is created.</summary>
public sealed class OctaveSpectrumOptions
{
    /// <summary>Shortest response time, in seconds (25 ms, Friture's "impulse").</summary>
    public const double MinResponseTime = 0.025;

    /// <summary>Longest response time, in seconds.</summary>
    public const double MaxResponseTime = 5.0;

    /// <summary>Bands per octave: 1, 3, 6, 12 or 24. Default 3 (one-third octave, as in Friture).</summary>
    public int BandsPerOctave { get; set; } = 3;

    /// <summary>Octave ratio used to place the bands. Default <see cref="OctaveBase.Base10"/> (IEC 61260-1's preferred ratio).</summary>
    public OctaveBase Base { get; set; } = OctaveBase.Base10;

    /// <summary>
    /// Lowest exact mid-band frequency, in Hz (a 1 % allowance lets 20 include the 19.95 Hz band), from 10 Hz. Default 20 Hz.
    /// </summary>
    public double MinFrequency { get; set; } = 20;

    /// <summary>
    /// Highest exact mid-band frequency, in Hz. Default 20000 Hz. Bands whose upper edge reaches 0.49 of the sample
    /// rate are left out whatever this says (at 44.1 kHz the one-third-octave bands stop at 16 kHz).
    /// </summary>
    public double MaxFrequency { get; set; } = 20000;

    /// <summary>Frequency weighting applied to each band at its exact mid-band frequency. Default <see cref="FrequencyWeighting.Z"/> (none).</summary>
    public FrequencyWeighting Weighting { get; set; } = FrequencyWeighting.Z;

    /// <summary>
    /// Time constant of the exponential averaging of band power, in seconds, from 0.025 to 5. Friture offers 0.025
    /// (impulse), 0.125 (fast), 0.3, 1 (slow) and 5 s. Default 1 s.
    /// </summary>
    public double ResponseTime { get; set; } = 1.0;

    /// <summary>Analysed channel (1-based) or the mono sum. Default channel 1.</summary>
    public ChannelSelection Channel { get; set; } = ChannelSelection.First;

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public OctaveSpectrumOptions Clone() => (OctaveSpectrumOptions)MemberwiseClone();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
        if (BandsPerOctave is not (1 or 3 or 6 or 12 or 24))
        {
            throw new ArgumentOutOfRangeException(nameof(BandsPerOctave), BandsPerOctave, $"BandsPerOctave is {BandsPerOctave}; it must be 1, 3, 6, 12 or 24.");
        }

        if (!Enum.IsDefined(Base))
        {
            throw new ArgumentOutOfRangeException(nameof(Base), Base, $"Base is {Base}; it must be Base10 or Base2.");
        }

        if (!(MinFrequency >= 10 && MaxFrequency > MinFrequency && MaxFrequency <= 100_000))
        {
            throw new ArgumentOutOfRangeException(nameof(MinFrequency), MinFrequency,
                $"MinFrequency is {MinFrequency} Hz and MaxFrequency {MaxFrequency} Hz; they must satisfy 10 <= MinFrequency < MaxFrequency <= 100000 Hz.");
        }

        if (!Enum.IsDefined(Weighting))
        {
            throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, $"Weighting is {Weighting}; it must be Z, A, B or C.");
        }

        if (!(ResponseTime is >= MinResponseTime and <= MaxResponseTime))
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseTime), ResponseTime,
                $"ResponseTime is {ResponseTime} s; it must be between {MinResponseTime} and {MaxResponseTime} s.");
        }
    }
}
