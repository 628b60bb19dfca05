using System.Numerics;

namespace Friture.Streaming.Dsp.Filters;

/// <summary>
/// Coefficients of one second-order section <c>H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)</c>.
/// </summary>
/// <param name="B0">Numerator coefficient of z^0.</param>
/// <param name="B1">Numerator coefficient of z^-1.</param>
/// <param name="B2">Numerator coefficient of z^-2.</param>
/// <param name="A1">Denominator coefficient of z^-1 (the leading 1 is implied).</param>
/// <param name="A2">Denominator coefficient of z^-2.</param>
internal readonly record struct BiquadCoefficients(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>A section that passes its input unchanged.</summary>
    public static BiquadCoefficients Identity => new(1, 0, 0, 0, 0);

    /// <summary>Complex response at a normalised frequency.</summary>
    /// <param name="frequencyHz">Frequency in Hz.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <returns>H(e^{j 2 pi f / fs}).</returns>
    public Complex Response(double frequencyHz, double sampleRate)
    {
        var w = 2 * Math.PI * frequencyHz / sampleRate;
        var z1 = Complex.FromPolarCoordinates(1, -w);
        var z2 = z1 * z1;
        return (B0 + (B1 * z1) + (B2 * z2)) / (1 + (A1 * z1) + (A2 * z2));
    }

    /// <summary>Returns the section with its numerator multiplied by <paramref name="gain"/>.</summary>
    /// <param name="gain">Linear gain.</param>
    /// <returns>The scaled section.</returns>
    public BiquadCoefficients Scale(double gain) => this with { B0 = B0 * gain, B1 = B1 * gain, B2 = B2 * gain };
}
