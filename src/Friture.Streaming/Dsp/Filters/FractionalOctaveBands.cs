using System.Globalization;

namespace Friture.Streaming.Dsp.Filters;

/// <summary>
/// Mid-band frequencies, band edges and nominal labels of IEC 61260-1:2014 fractional-octave bands.
/// </summary>
/// <remarks>
/// Octave ratio <c>G = 10^(3/10)</c> (base 10, preferred) or <c>G = 2</c> (base 2). Exact mid-band frequency of band
/// <c>x</c> with 1/b octave: <c>1000 G^(x/b)</c> for odd b, <c>1000 G^((2x+1)/(2b))</c> for even b; edges
/// <c>f_m G^(-1/(2b))</c> and <c>f_m G^(1/(2b))</c>. Nominal labels: the R10 series (25, 31.5, 40, 50, 63, 80, 100,
/// 125, 160, 200 ...) for octave and one-third-octave bands; otherwise the exact frequency rounded to three significant
/// figures when its leading digit is 1 to 4 and to two when it is 5 to 9 (IEC 61260-1 Annex E).
/// </remarks>
internal static class FractionalOctaveBands
{
    /// <summary>The base-10 octave ratio 10^(3/10) = 1.99526.</summary>
    public static readonly double Base10Ratio = Math.Pow(10, 0.3);

    private static readonly double[] R10 = [1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0];

    /// <summary>Octave ratio G for a base.</summary>
    /// <param name="base10">Base 10 (true) or base 2.</param>
    /// <returns>G.</returns>
    public static double OctaveRatio(bool base10) => base10 ? Base10Ratio : 2.0;

    /// <summary>Exact mid-band frequency.</summary>
    /// <param name="index">Band index x.</param>
    /// <param name="bandsPerOctave">b.</param>
    /// <param name="base10">Base 10 or 2.</param>
    /// <returns>Frequency in Hz.</returns>
    public static double ExactCenter(int index, int bandsPerOctave, bool base10)
    {
        var g = OctaveRatio(base10);
        return bandsPerOctave % 2 == 1
            ? 1000.0 * Math.Pow(g, (double)index / bandsPerOctave)
            : 1000.0 * Math.Pow(g, ((2.0 * index) + 1) / (2.0 * bandsPerOctave));
    }

    /// <summary>Builds a band.</summary>
    /// <param name="index">Band index x.</param>
    /// <param name="bandsPerOctave">b.</param>
    /// <param name="base10">Base 10 or 2.</param>
    /// <returns>The band.</returns>
    public static FractionalOctaveBand Band(int index, int bandsPerOctave, bool base10)
    {
        var g = OctaveRatio(base10);
        var fm = ExactCenter(index, bandsPerOctave, base10);
        var half = Math.Pow(g, 1.0 / (2 * bandsPerOctave));
        return new FractionalOctaveBand(index, fm, fm / half, fm * half, NominalLabel(index, bandsPerOctave, fm));
    }

    /// <summary>
    /// Every band whose exact mid-band frequency lies in [<paramref name="minHz"/>, <paramref name="maxHz"/>] (with a
    /// 1 % allowance so that nominal limits such as 20 Hz include the 19.95 Hz band) and whose upper edge is below
    /// <paramref name="maxUpperEdgeHz"/>, lowest first.
    /// </summary>
    /// <param name="bandsPerOctave">b.</param>
    /// <param name="base10">Base 10 or 2.</param>
    /// <param name="minHz">Lowest mid-band frequency.</param>
    /// <param name="maxHz">Highest mid-band frequency.</param>
    /// <param name="maxUpperEdgeHz">Exclusive limit on the upper edge (a fraction of the Nyquist frequency).</param>
    /// <returns>The bands.</returns>
    public static FractionalOctaveBand[] Range(int bandsPerOctave, bool base10, double minHz, double maxHz, double maxUpperEdgeHz)
    {
        var g = OctaveRatio(base10);
        var lo = (int)Math.Floor(bandsPerOctave * Math.Log(minHz / 1000.0) / Math.Log(g)) - 2;
        var hi = (int)Math.Ceiling(bandsPerOctave * Math.Log(maxHz / 1000.0) / Math.Log(g)) + 2;
        var bands = new List<FractionalOctaveBand>(hi - lo + 1);
        for (var x = lo; x <= hi; x++)
        {
            var band = Band(x, bandsPerOctave, base10);
            if (band.CenterHz >= minHz * 0.99 && band.CenterHz <= maxHz * 1.01 && band.UpperHz < maxUpperEdgeHz)
            {
                bands.Add(band);
            }
        }

        return [.. bands];
    }

    /// <summary>The nominal mid-band frequency as a label.</summary>
    /// <param name="index">Band index x.</param>
    /// <param name="bandsPerOctave">b.</param>
    /// <param name="exactHz">Exact mid-band frequency.</param>
    /// <returns>The label, with a <c>k</c> suffix from 1 kHz up.</returns>
    public static string NominalLabel(int index, int bandsPerOctave, double exactHz) =>
        FormatHz(NominalFrequency(index, bandsPerOctave, exactHz));

    /// <summary>The nominal mid-band frequency in Hz.</summary>
    /// <param name="index">Band index x.</param>
    /// <param name="bandsPerOctave">b.</param>
    /// <param name="exactHz">Exact mid-band frequency.</param>
    /// <returns>The nominal frequency.</returns>
    public static double NominalFrequency(int index, int bandsPerOctave, double exactHz)
    {
        if (bandsPerOctave is 1 or 3)
        {
            // One-third-octave band x (or octave band x = third-octave band 3x) is 10^(x/10) kHz in base 10.
            var third = bandsPerOctave == 1 ? 3 * index : index;
            var decade = (int)Math.Floor(third / 10.0);
            var step = third - (10 * decade);
            return R10[step] * 1000.0 * Math.Pow(10, decade);
        }

        var exponent = (int)Math.Floor(Math.Log10(exactHz));
        var leading = exactHz / Math.Pow(10, exponent);
        var digits = leading < 5 ? 3 : 2;
        var scale = Math.Pow(10, exponent - digits + 1);
        return Math.Round(exactHz / scale) * scale;
    }

    private static string FormatHz(double hz) =>
        hz >= 1000
            ? (hz / 1000).ToString("0.###", CultureInfo.InvariantCulture) + "k"
            : hz.ToString("0.###", CultureInfo.InvariantCulture);
}
