using System.Collections.Immutable;

namespace Friture.Streaming.Data;

/// <summary>One FFT spectrum (the Friture "FFT Spectrum" dock).</summary>
/// <remarks>
/// Wire name <c>fft_spectrum</c>. <see cref="MagnitudesLinear"/> and <see cref="MagnitudesDb"/> are calibrated so that a
/// full-scale sine centred on a bin reads 1.0 (0 dBFS) whatever the window; the original API's example compared linear
/// magnitudes with a dB threshold, which is why both scales are carried.
/// </remarks>
public sealed record FftSpectrumData : StreamingPayload
{
    /// <summary>Bin (or reduced point) centre frequencies in Hz, ascending.</summary>
    public ImmutableArray<float> Frequencies { get; init; } = [];

    /// <summary>Magnitudes in linear full-scale units (1.0 = full-scale sine), one per frequency.</summary>
    public ImmutableArray<float> MagnitudesLinear { get; init; } = [];

    /// <summary>Magnitudes in dBFS (20 log10 of <see cref="MagnitudesLinear"/>), one per frequency, weighting applied.</summary>
    public ImmutableArray<float> MagnitudesDb { get; init; } = [];

    /// <summary>Phases in radians (-pi to pi), or <see langword="null"/> unless phases were requested.</summary>
    public ImmutableArray<float>? Phases { get; init; }

    /// <summary>FFT size in samples.</summary>
    public int FftSize { get; init; }

    /// <summary>Window function name: <c>rectangular</c>, <c>hann</c>, <c>hamming</c>, <c>blackman</c>, <c>blackman_harris</c>, <c>flat_top</c> or <c>kaiser</c>.</summary>
    public string WindowType { get; init; } = "hann";

    /// <summary>Overlap between successive frames, 0 to less than 1.</summary>
    public double OverlapFactor { get; init; }

    /// <summary>Frequency weighting applied to the magnitudes: <c>A</c>, <c>B</c>, <c>C</c>, <c>Z</c> or <c>none</c>.</summary>
    public string Weighting { get; init; } = "none";

    /// <summary>Exponential averaging time constant in seconds (0 = no averaging).</summary>
    public double ResponseTime { get; init; }

    /// <summary>The lowest peak level, in dBFS, reported as a peak (-150): below it the spectrum is digital silence or rounding noise.</summary>
    public const double PeakFloorDb = -150;

    /// <summary>
    /// Frequency of the highest magnitude in Hz, refined between bins, or <see langword="null"/> when the peak is below
    /// <see cref="PeakFloorDb"/> (silence: there is no peak to report).
    /// </summary>
    public double? PeakFrequency { get; init; }

    /// <summary>Magnitude of the peak in dBFS, or <see langword="null"/> when <see cref="PeakFrequency"/> is.</summary>
    public double? PeakMagnitude { get; init; }

    /// <inheritdoc/>
    public override long EstimateSizeBytes() =>
        96 + (4L * (Frequencies.Length + MagnitudesLinear.Length + MagnitudesDb.Length + (Phases?.Length ?? 0)));
}
