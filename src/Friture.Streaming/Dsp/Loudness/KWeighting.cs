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
/// same response as the standard's 48 kHz filter within 0.01 dB at every frequency at 32 kHz and above (0.03 dB at
/// 22.05 kHz, 0.07 dB at 16 kHz, 0.21 dB at 8 kHz where the shelf nears Nyquist), which a fixed coefficient set cannot.
/// The high-pass numerator is scaled so its pass-band gain is the standard's at every rate (see <see cref="HighPass"/>),
/// so the -0.691 dB constant of the loudness formula applies unchanged.
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

        // The standard's numerator (1, -2, 1) is not normalised: its pass-band gain, 4 / (1 - a1 + a2), is +0.043 dB at
        // 48 kHz and changes with the rate (libebur128 keeps (1, -2, 1) and so reads 0.02 LU low at 96 kHz). Scaling it
        // by a0(48 kHz) / a0(fs) keeps the standard's gain at every rate and leaves the 48 kHz coefficients exact.
        var k48 = Math.Tan(Math.PI * HighPassFrequency / 48000.0);
        var gain = (1.0 + (k48 / HighPassQ) + (k48 * k48)) / a0;
        return new BiquadCoefficients(gain, -2.0 * gain, gain, 2.0 * ((k * k) - 1.0) / a0, (1.0 - (k / HighPassQ) + (k * k)) / a0);
    }

    /// <summary>Gain of the whole K-weighting at a frequency, in dB (for checks and documentation).</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <returns>The gain in dB.</returns>
    public static double GainDb(double frequencyHz, double sampleRate) =>
        20.0 * Math.Log10((Shelf(sampleRate).Response(frequencyHz, sampleRate) * HighPass(sampleRate).Response(frequencyHz, sampleRate)).Magnitude);
}
