namespace Friture.Streaming.Data;

/// <summary>Decibel conventions shared by every payload.</summary>
public static class Decibels
{
    /// <summary>
    /// The lowest level any payload reports, in dB (-200). Digital silence reads this value instead of negative
    /// infinity, so that every level is a finite number in JSON.
    /// </summary>
    public const float Floor = -200f;

    /// <summary>Converts a linear amplitude ratio to dB (20 log10), floored at <see cref="Floor"/>.</summary>
    /// <param name="amplitude">Linear amplitude, 1.0 = full scale.</param>
    /// <returns>The level in dB.</returns>
    public static float FromAmplitude(double amplitude) =>
        amplitude > 1e-10 ? (float)(20.0 * Math.Log10(amplitude)) : Floor;

    /// <summary>Converts a power ratio to dB (10 log10), floored at <see cref="Floor"/>.</summary>
    /// <param name="power">Linear power, 1.0 = full-scale DC (a full-scale sine has power 0.5).</param>
    /// <returns>The level in dB.</returns>
    public static float FromPower(double power) =>
        power > 1e-20 ? (float)(10.0 * Math.Log10(power)) : Floor;
}
