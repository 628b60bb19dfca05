using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Analyzers.FftSpectrum;

/// <summary>Settings of an <see cref="FftSpectrumProducer"/>. Validated once, when the producer is created.</summary>
public sealed class FftSpectrumOptions
{
    /// <summary>Smallest FFT size (32 samples).</summary>
    public const int MinFftSize = 32;

    /// <summary>Largest FFT size (16384 samples, as in Friture).</summary>
    public const int MaxFftSize = 16384;

    /// <summary>FFT size in samples: a power of two from 32 to 16384. Default 8192 (Friture's default).</summary>
    public int FftSize { get; set; } = 8192;

    /// <summary>Overlap between successive frames, from 0 to less than 1. Default 0.75 (hop of FftSize / 4).</summary>
    public double Overlap { get; set; } = 0.75;

    /// <summary>Analysis window. Default <see cref="WindowType.Hann"/> (Friture's window).</summary>
    public WindowType Window { get; set; } = WindowType.Hann;

    /// <summary>Kaiser shape parameter beta, 0 to 50, used when <see cref="Window"/> is <see cref="WindowType.Kaiser"/>. Default 9.</summary>
    public double KaiserBeta { get; set; } = Dsp.Windows.Window.DefaultKaiserBeta;

    /// <summary>Frequency weighting applied to the magnitudes. Default <see cref="FrequencyWeighting.Z"/> (none).</summary>
    public FrequencyWeighting Weighting { get; set; } = FrequencyWeighting.Z;

    /// <summary>
    /// Time constant of the exponential averaging of power, in seconds, from 0 (no averaging: each frame as is) to 10.
    /// Friture offers 0.025 (impulse), 0.125 (fast), 0.3, 1 (slow) and 5 s. Default 0.025 s.
    /// </summary>
    public double ResponseTime { get; set; } = 0.025;

    /// <summary>Whether to include the phase of each bin (radians, of the latest frame, not averaged). Default false.</summary>
    public bool IncludePhases { get; set; }

    /// <summary>
    /// Reduce the spectrum to at most this many points (0 = every bin from DC to Nyquist). Reduced points span
    /// <see cref="MinFrequency"/> to <see cref="MaxFrequency"/> and keep the highest power among the bins they cover,
    /// so tones stay visible. From 0 to 65536. Default 0.
    /// </summary>
    public int MaxPoints { get; set; }

    /// <summary>Spacing of the reduced points. Default <see cref="SpectrumPointSpacing.Logarithmic"/>.</summary>
    public SpectrumPointSpacing PointSpacing { get; set; } = SpectrumPointSpacing.Logarithmic;

    /// <summary>Lowest frequency of the reduced points, in Hz (greater than 0). Default 20 Hz.</summary>
    public double MinFrequency { get; set; } = 20;

    /// <summary>Highest frequency of the reduced points, in Hz (clamped to the Nyquist frequency). Default 20000 Hz.</summary>
    public double MaxFrequency { get; set; } = 20000;

    /// <summary>Analysed channel (1-based) or the mono sum. Default channel 1.</summary>
    public ChannelSelection Channel { get; set; } = ChannelSelection.First;

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public FftSpectrumOptions Clone() => (FftSpectrumOptions)MemberwiseClone();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
        if (FftSize is < MinFftSize or > MaxFftSize || !int.IsPow2(FftSize))
        {
            throw new ArgumentOutOfRangeException(nameof(FftSize), FftSize, $"FftSize is {FftSize}; it must be a power of two from {MinFftSize} to {MaxFftSize}.");
        }

        if (!(Overlap >= 0 && Overlap < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, $"Overlap is {Overlap}; it must be from 0 to less than 1.");
        }

        if (!Enum.IsDefined(Window))
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"Window is {Window}; it must be one of {string.Join(", ", Enum.GetNames<WindowType>())}.");
        }

        if (!(KaiserBeta is >= 0 and <= 50))
        {
            throw new ArgumentOutOfRangeException(nameof(KaiserBeta), KaiserBeta, $"KaiserBeta is {KaiserBeta}; it must be between 0 and 50.");
        }

        if (!Enum.IsDefined(Weighting))
        {
            throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, $"Weighting is {Weighting}; it must be Z, A, B or C.");
        }

        if (!(ResponseTime is >= 0 and <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseTime), ResponseTime, $"ResponseTime is {ResponseTime} s; it must be between 0 and 10 s.");
        }

        if (MaxPoints is < 0 or > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPoints), MaxPoints, $"MaxPoints is {MaxPoints}; it must be between 0 (no reduction) and 65536.");
        }

        if (!Enum.IsDefined(PointSpacing))
        {
            throw new ArgumentOutOfRangeException(nameof(PointSpacing), PointSpacing, $"PointSpacing is {PointSpacing}; it must be Linear or Logarithmic.");
        }

        if (!(MinFrequency > 0 && MaxFrequency > MinFrequency && MaxFrequency <= 1e6))
        {
            throw new ArgumentOutOfRangeException(nameof(MinFrequency), MinFrequency,
                $"MinFrequency is {MinFrequency} Hz and MaxFrequency {MaxFrequency} Hz; they must satisfy 0 < MinFrequency < MaxFrequency <= 1000000 Hz.");
        }
    }
}
