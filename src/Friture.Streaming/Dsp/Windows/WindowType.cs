namespace Friture.Streaming.Dsp.Windows;

/// <summary>Analysis window applied to each FFT frame.</summary>
/// <remarks>
/// All windows are periodic (DFT-even, as used for spectral analysis) and the spectra built with them are amplitude
/// calibrated by <see cref="Window.CoherentGain"/>, so a full-scale sine centred on a bin reads 0 dBFS with any window.
/// </remarks>
public enum WindowType
{
    /// <summary>No tapering (all ones): best frequency resolution, worst leakage (-13 dB side lobes).</summary>
    Rectangular,

    /// <summary>Hann (raised cosine), Friture's window: -31 dB side lobes, 1.5 bins noise bandwidth.</summary>
    Hann,

    /// <summary>Hamming (0.54 - 0.46 cos): -43 dB first side lobe.</summary>
    Hamming,

    /// <summary>Classic Blackman (0.42, 0.5, 0.08): -58 dB side lobes.</summary>
    Blackman,

    /// <summary>4-term Blackman-Harris (0.35875, 0.48829, 0.14128, 0.01168): -92 dB side lobes.</summary>
    BlackmanHarris,

    /// <summary>5-term flat top (the MATLAB/SRS coefficients): amplitude error under 0.02 dB anywhere between bins.</summary>
    FlatTop,

    /// <summary>Kaiser window with shape parameter beta (see the owning options' <c>KaiserBeta</c>).</summary>
    Kaiser,
}
