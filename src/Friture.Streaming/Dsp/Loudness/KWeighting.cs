using Friture.Streaming.Dsp.Filters;

namespace Friture.Streaming.Dsp.Loudness;

/// <summary>
/// The K-weighting of ITU-R BS.1770-4 (a high shelf followed by the RLB high-pass) designed for any sample rate.
/// </summary>
/// <remarks>
/// BS.1770-4 publishes the two biquads for 48 kHz only. Here each is the digital image, by the bilinear transform with
/// its centre frequency prewarped, of a second-order analog prototype: the shelf with centre 1681.97 Hz, Q 0.70718 and
/// +4.0 dB of high-frequency gain (its mid gain the square root's power 0.49967), the high-pass with corner 38.135 Hz and
/// Q 0.50033. These parameters reproduce the standard's 48 kHz coefficients to 1e-8 (a test checks them), and give the
/// same filter as the standard at 44.1, 88.2, 96 or 192 kHz, which a fixed coefficient set cannot. The high-pass keeps
/// the standard's unnormalised numerator (1, -2, 1), so the overall 1 kHz gain is that of the standard and the -0.691 dB
/// constant of the loudness formula still applies.
/// </remarks>
internal static class KWeighting
{
    /// <summary>Centre frequency of the high shelf in Hz.</summary>
    public const double ShelfFrequency = 1681.974450955533;

    /// <summary>High-frequency gain of the shelf in dB.</summary>
    public const double ShelfGainDb = 3.999843853973347;

    /// <summary>Quality factor of the high shelf.</summary>
    public const double ShelfQ = 0.7071752369554196;

    /// <summary>Corner frequency of the RLB high-pass in Hz.</summary>
    public const double HighPassFrequency = 38.13547087602444;

    /// <summary>Quality factor of the RLB high-pass.</summary>
    public const double HighPassQ = 0.5003270373238773;

    // The shelf's band gain is Vh to this power (a value fitted, with the others, to the 48 kHz coefficients).
    private const double BandGainExponent = 0.4996667741545416;

    /// <summary>The high-shelf stage (BS.1770-4 stage 1) at a sample rate.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <returns>The biquad.</returns>
    public static BiquadCoefficients Shelf(double sampleRate)
    {
        var k = Math.Tan(Math.PI * ShelfFrequency / sampleRate);
        var vh = Math.Pow(10.0, ShelfGainDb / 20.0);
        var vb = Math.Pow(vh, BandGainExponent);
        var a0 = 1.0 + (k / ShelfQ) + (k * k);
        return new BiquadCoefficients(
            (vh + (vb * k / ShelfQ) + (k * k)) / a0,
            2.0 * ((k * k) - vh) / a0,
            (vh - (vb * k / ShelfQ) + (k * k)) / a0,
            2.0 * ((k * k) - 1.0) / a0,
            (1.0 - (k / ShelfQ) + (k * k)) / a0);
    }

    /// <summary>The RLB high-pass stage (BS.1770-4 stage 2) at a sample rate.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <returns>The biquad.</returns>
    public static BiquadCoefficients HighPass(double sampleRate)
    {
        var k = Math.Tan(Math.PI * HighPassFrequency / sampleRate);
        var a0 = 1.0 + (k / HighPassQ) + (k * k);
        return new BiquadCoefficients(1.0, -2.0, 1.0, 2.0 * ((k * k) - 1.0) / a0, (1.0 - (k / HighPassQ) + (k * k)) / a0);
    }

    /// <summary>Gain of the whole K-weighting at a frequency, in dB (for checks and documentation).</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <returns>The gain in dB.</returns>
    public static double GainDb(double frequencyHz, double sampleRate) =>
        20.0 * Math.Log10((Shelf(sampleRate).Response(frequencyHz, sampleRate) * HighPass(sampleRate).Response(frequencyHz, sampleRate)).Magnitude);
}
