namespace Friture.Streaming.Reduction;

/// <summary>
/// Rounds reduced values to what a display can use, to float32 values whose shortest text is short
/// (<c>-61.59</c> instead of <c>-61.590782</c>).
/// </summary>
internal static class Rounding
{
    /// <summary>To <paramref name="digits"/> significant digits.</summary>
    public static float Significant(float value, int digits)
    {
        if (value == 0 || !float.IsFinite(value))
        {
            return value;
        }

        var magnitude = Math.Floor(Math.Log10(Math.Abs(value)));
        var scale = Math.Pow(10, digits - 1 - magnitude);
        return (float)(Math.Round(value * scale) / scale);
    }

    /// <summary>To 0.01 dB.</summary>
    public static float Decibels(float value) => (float)(Math.Round(value * 100.0) / 100.0);

    /// <summary>To a fixed step given as its inverse (1e3 for samples, 1e5 for times in seconds).</summary>
    public static float Step(float value, double inverseStep) => (float)(Math.Round(value * inverseStep) / inverseStep);
}
