namespace Friture.Streaming.Dsp.Weighting;

/// <summary>The analytic frequency weightings of IEC 61672-1:2013 (annex E), and B weighting from IEC 60651.</summary>
/// <remarks>
/// Pole frequencies f1 = 20.598997 Hz, f2 = 107.65265 Hz, f3 = 737.86223 Hz, f4 = 12194.217 Hz, and for B
/// f5 = 158.48932 Hz; the normalisation constants A1000 = -2.000 dB, B1000 = -0.17 dB, C1000 = -0.062 dB put each curve
/// at 0 dB at 1 kHz (to within 0.003 dB). The standard's tables are these formulas rounded to 0.1 dB at the exact
/// base-10 one-third-octave frequencies; the tests check that.
/// </remarks>
public static class WeightingCurves
{
    /// <summary>Low-frequency pole f1 in Hz.</summary>
    public const double F1 = 20.598997;

    /// <summary>A-weighting pole f2 in Hz.</summary>
    public const double F2 = 107.65265;

    /// <summary>A-weighting pole f3 in Hz.</summary>
    public const double F3 = 737.86223;

    /// <summary>High-frequency pole f4 in Hz.</summary>
    public const double F4 = 12194.217;

    /// <summary>B-weighting pole f5 in Hz.</summary>
    public const double F5 = 158.48932;

    /// <summary>Weighting gain in dB at a frequency.</summary>
    /// <param name="weighting">The weighting.</param>
    /// <param name="frequency">Frequency in Hz (0 gives <see cref="double.NegativeInfinity"/> for A, B and C).</param>
    /// <returns>The gain in dB; 0 for <see cref="FrequencyWeighting.Z"/>.</returns>
    public static double GainDb(FrequencyWeighting weighting, double frequency)
    {
        if (weighting == FrequencyWeighting.Z)
        {
            return 0.0;
        }

        var g = AmplitudeUnnormalised(weighting, frequency);
        return g <= 0 ? double.NegativeInfinity : (20.0 * Math.Log10(g)) - Normalisation(weighting);
    }

    /// <summary>Weighting as a linear amplitude gain.</summary>
    /// <param name="weighting">The weighting.</param>
    /// <param name="frequency">Frequency in Hz.</param>
    /// <returns>10^(GainDb / 20); 0 at 0 Hz for A, B and C.</returns>
    public static double Gain(FrequencyWeighting weighting, double frequency)
    {
        var db = GainDb(weighting, frequency);
        return double.IsNegativeInfinity(db) ? 0.0 : Math.Pow(10.0, db / 20.0);
    }

    private static double Normalisation(FrequencyWeighting weighting) => weighting switch
    {
        FrequencyWeighting.A => -2.000,
        FrequencyWeighting.B => -0.17,
        FrequencyWeighting.C => -0.062,
        _ => 0.0,
    };

    private static double AmplitudeUnnormalised(FrequencyWeighting weighting, double f)
    {
        var f2 = f * f;
        var f4Sq = F4 * F4;
        return weighting switch
        {
            FrequencyWeighting.A => f4Sq * f2 * f2 /
                ((f2 + (F1 * F1)) * Math.Sqrt(f2 + (F2 * F2)) * Math.Sqrt(f2 + (F3 * F3)) * (f2 + f4Sq)),
            FrequencyWeighting.B => f4Sq * f2 * f /
                ((f2 + (F1 * F1)) * Math.Sqrt(f2 + (F5 * F5)) * (f2 + f4Sq)),
            FrequencyWeighting.C => f4Sq * f2 / ((f2 + (F1 * F1)) * (f2 + f4Sq)),
            _ => 1.0,
        };
    }
}
