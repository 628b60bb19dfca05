namespace Friture.Streaming.Analyzers.FftSpectrum;

/// <summary>How a spectrum is reduced to fewer points for network clients.</summary>
public enum SpectrumPointSpacing
{
    /// <summary>Points equally spaced in Hz.</summary>
    Linear,

    /// <summary>Points equally spaced in log frequency (equal ratios), as on a log-frequency display.</summary>
    Logarithmic,
}
