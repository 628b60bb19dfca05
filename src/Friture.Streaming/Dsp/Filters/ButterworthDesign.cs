using System.Numerics;

namespace Friture.Streaming.Dsp.Filters;

/// <summary>
/// Digital Butterworth filters designed by the bilinear transform with pre-warped edges, returned as second-order
/// sections.
/// </summary>
/// <remarks>
/// Band-pass: an order-<c>n</c> analogue low-pass prototype is mapped to a band-pass of order <c>2n</c> whose -3.01 dB
/// points fall exactly on the requested edges after the bilinear transform; the response is normalised to 0 dB at the
/// digital geometric centre. Each of the <c>n</c> sections has a zero at DC and one at Nyquist and unit gain at the
/// centre, which keeps intermediate signals at the input's scale.
/// </remarks>
internal static class ButterworthDesign
{
    /// <summary>Designs a band-pass filter.</summary>
    /// <param name="lowerEdgeHz">Lower -3 dB frequency in Hz.</param>
    /// <param name="upperEdgeHz">Upper -3 dB frequency in Hz, below Nyquist.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="prototypeOrder">Order of the low-pass prototype (sections returned).</param>
    /// <returns>The sections, <paramref name="prototypeOrder"/> of them.</returns>
    public static BiquadCoefficients[] BandPass(double lowerEdgeHz, double upperEdgeHz, double sampleRate, int prototypeOrder)
    {
        if (!(lowerEdgeHz > 0 && upperEdgeHz > lowerEdgeHz && upperEdgeHz < sampleRate / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(upperEdgeHz), upperEdgeHz,
                $"band {lowerEdgeHz}..{upperEdgeHz} Hz must satisfy 0 < lower < upper < {sampleRate / 2} Hz.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(prototypeOrder, 1);

        var k = 2 * sampleRate;
        var w1 = k * Math.Tan(Math.PI * lowerEdgeHz / sampleRate);
        var w2 = k * Math.Tan(Math.PI * upperEdgeHz / sampleRate);
        var w0 = Math.Sqrt(w1 * w2);
        var bandwidth = w2 - w1;

        // The digital frequency whose pre-warped image is the analogue centre: the peak of the digital response.
        var centreHz = sampleRate / Math.PI * Math.Atan(w0 / k);

        var sections = new BiquadCoefficients[prototypeOrder];
        var count = 0;
        for (var i = 0; i < (prototypeOrder + 1) / 2; i++)
        {
            // Prototype poles in the upper half plane (and the real pole for odd orders).
            var angle = Math.PI * ((2.0 * i) + prototypeOrder + 1) / (2.0 * prototypeOrder);
            var p = Complex.FromPolarCoordinates(1, angle);
            var isReal = (2 * i) + 1 == prototypeOrder;

            // s^2 - p B s + w0^2 = 0 gives the two band-pass poles of prototype pole p.
            var disc = Complex.Sqrt((p * p * bandwidth * bandwidth) - (4 * w0 * w0));
            var sa = ((p * bandwidth) + disc) / 2;
            var sb = ((p * bandwidth) - disc) / 2;
            if (isReal)
            {
                // The real prototype pole gives a conjugate pair, or two real poles for very wide (warped) bands.
                sections[count++] = Section(BilinearPole(sa, k), BilinearPole(sb, k), centreHz, sampleRate);
            }
            else
            {
                var za = BilinearPole(sa, k);
                var zb = BilinearPole(sb, k);
                sections[count++] = Section(za, Complex.Conjugate(za), centreHz, sampleRate);
                sections[count++] = Section(zb, Complex.Conjugate(zb), centreHz, sampleRate);
            }
        }

        return sections;
    }

    /// <summary>Designs a low-pass filter.</summary>
    /// <param name="cutoffHz">-3 dB frequency in Hz.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="order">Filter order, even.</param>
    /// <returns>The sections, <paramref name="order"/> / 2 of them, each with unit gain at DC.</returns>
    public static BiquadCoefficients[] LowPass(double cutoffHz, double sampleRate, int order)
    {
        if (order < 2 || order % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "order must be even and at least 2.");
        }

        var k = 2 * sampleRate;
        var wc = k * Math.Tan(Math.PI * cutoffHz / sampleRate);
        var sections = new BiquadCoefficients[order / 2];
        for (var i = 0; i < order / 2; i++)
        {
            var angle = Math.PI * ((2.0 * i) + order + 1) / (2.0 * order);
            var pole = BilinearPole(Complex.FromPolarCoordinates(wc, angle), k);
            var a1 = -2 * pole.Real;
            var a2 = pole.Magnitude * pole.Magnitude;

            // Zeros at Nyquist: (1 + z^-1)^2, unit DC gain.
            var g = (1 + a1 + a2) / 4;
            sections[i] = new BiquadCoefficients(g, 2 * g, g, a1, a2);
        }

        return sections;
    }

    private static BiquadCoefficients Section(Complex pole1, Complex pole2, double centreHz, double sampleRate)
    {
        var a1 = -(pole1 + pole2).Real;
        var a2 = (pole1 * pole2).Real;

        // Zeros at DC and Nyquist: 1 - z^-2; then unit gain at the centre.
        var raw = new BiquadCoefficients(1, 0, -1, a1, a2);
        return raw.Scale(1 / raw.Response(centreHz, sampleRate).Magnitude);
    }

    private static Complex BilinearPole(Complex s, double k) => (k + s) / (k - s);
}
