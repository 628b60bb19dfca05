using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Analyzers.Spectrogram;

/// <summary>Settings of a <see cref="SpectrogramProducer"/>. Validated once, when the producer is created.</summary>
public sealed class SpectrogramOptions
{
    /// <summary>FFT size in samples: a power of two from 32 to 16384. Default 4096 (Friture's spectrogram).</summary>
    public int FftSize { get; set; } = 4096;

    /// <summary>Overlap between successive columns, 0 to less than 1. Default 0.75 (46.9 columns/s at 48 kHz).</summary>
    public double Overlap { get; set; } = 0.75;

    /// <summary>Analysis window. Default <see cref="WindowType.Hann"/>.</summary>
    public WindowType Window { get; set; } = WindowType.Hann;

    /// <summary>Kaiser shape parameter beta, 0 to 50 (for <see cref="WindowType.Kaiser"/>). Default 9.</summary>
    public double KaiserBeta { get; set; } = Dsp.Windows.Window.DefaultKaiserBeta;

    /// <summary>Frequency weighting applied to each column. Default <see cref="FrequencyWeighting.Z"/> (none).</summary>
    public FrequencyWeighting Weighting { get; set; } = FrequencyWeighting.Z;

    /// <summary>Frequency axis of the output bins. Default <see cref="FrequencyScale.Logarithmic"/>.</summary>
    public FrequencyScale Scale { get; set; } = FrequencyScale.Logarithmic;

    /// <summary>Number of output bins per column, 8 to 8192. Default 512.</summary>
    public int OutputBins { get; set; } = 512;

    /// <summary>Lowest output frequency in Hz, greater than 0. Default 20 Hz.</summary>
    public double MinFrequency { get; set; } = 20;

    /// <summary>Highest output frequency in Hz (clamped to the Nyquist frequency). Default 24000 Hz.</summary>
    public double MaxFrequency { get; set; } = 24000;

    /// <summary>Analysed channel (1-based) or the mono sum. Default channel 1.</summary>
    public ChannelSelection Channel { get; set; } = ChannelSelection.First;

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public SpectrogramOptions Clone() => (SpectrogramOptions)MemberwiseClone();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
        if (FftSize is < 32 or > 16384 || !int.IsPow2(FftSize))
        {
            throw new ArgumentOutOfRangeException(nameof(FftSize), FftSize, $"FftSize is {FftSize}; it must be a power of two from 32 to 16384.");
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

        if (!Enum.IsDefined(Scale))
        {
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, $"Scale is {Scale}; it must be one of {string.Join(", ", Enum.GetNames<FrequencyScale>())}.");
        }

        if (OutputBins is < 8 or > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(OutputBins), OutputBins, $"OutputBins is {OutputBins}; it must be between 8 and 8192.");
        }

        if (!(MinFrequency > 0 && MaxFrequency > MinFrequency && MaxFrequency <= 1e6))
        {
            throw new ArgumentOutOfRangeException(nameof(MinFrequency), MinFrequency,
                $"MinFrequency is {MinFrequency} Hz and MaxFrequency {MaxFrequency} Hz; they must satisfy 0 < MinFrequency < MaxFrequency <= 1000000 Hz.");
        }
    }
}
