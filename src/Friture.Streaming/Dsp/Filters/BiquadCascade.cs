namespace Friture.Streaming.Dsp.Filters;

/// <summary>
/// A cascade of second-order sections in transposed direct form II, double-precision state, one channel.
/// </summary>
/// <remarks>
/// The scalar reference path of the octave filter bank (its band filters when vectors are off), which the tests compare
/// the vectorised bank against. Allocates only in the constructor.
/// </remarks>
internal sealed class BiquadCascade
{
    private readonly BiquadCoefficients[] _sections;
    private readonly double[] _s1;
    private readonly double[] _s2;

    /// <summary>Creates a cascade with zero state.</summary>
    /// <param name="sections">The sections, applied in order.</param>
    public BiquadCascade(ReadOnlySpan<BiquadCoefficients> sections)
    {
        _sections = sections.ToArray();
        _s1 = new double[_sections.Length];
        _s2 = new double[_sections.Length];
    }

    /// <summary>Number of sections.</summary>
    public int SectionCount => _sections.Length;

    /// <summary>Filters one sample.</summary>
    /// <param name="x">Input sample.</param>
    /// <returns>Output sample.</returns>
    public double Process(double x)
    {
        var sections = _sections;
        var s1 = _s1;
        var s2 = _s2;
        for (var i = 0; i < sections.Length; i++)
        {
            ref readonly var c = ref sections[i];
            var y = (c.B0 * x) + s1[i];
            s1[i] = (c.B1 * x) - (c.A1 * y) + s2[i];
            s2[i] = (c.B2 * x) - (c.A2 * y);
            x = y;
        }

        return x;
    }

    /// <summary>Clears the state.</summary>
    public void Reset()
    {
        Array.Clear(_s1);
        Array.Clear(_s2);
    }
}
