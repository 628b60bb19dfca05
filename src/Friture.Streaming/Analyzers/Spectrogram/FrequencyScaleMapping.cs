namespace Friture.Streaming.Analyzers.Spectrogram;

/// <summary>Forward and inverse mappings of each <see cref="FrequencyScale"/> (Hz to scale units and back).</summary>
internal static class FrequencyScaleMapping
{
    public static double ToScale(FrequencyScale scale, double f) => scale switch
    {
        FrequencyScale.Linear => f,
        FrequencyScale.Logarithmic => Math.Log10(f),
        FrequencyScale.Mel => 2595.0 * Math.Log10(1.0 + (f / 700.0)),
        FrequencyScale.Erb => 21.33 * Math.Log10(1.0 + (0.00437 * f)),
        _ => Math.Log2(f / 1000.0),
    };

    public static double FromScale(FrequencyScale scale, double v) => scale switch
    {
        FrequencyScale.Linear => v,
        FrequencyScale.Logarithmic => Math.Pow(10.0, v),
        FrequencyScale.Mel => 700.0 * (Math.Pow(10.0, v / 2595.0) - 1.0),
        FrequencyScale.Erb => (Math.Pow(10.0, v / 21.33) - 1.0) / 0.00437,
        _ => 1000.0 * Math.Pow(2.0, v),
    };

    public static string Name(FrequencyScale scale) => scale switch
    {
        FrequencyScale.Linear => "linear",
        FrequencyScale.Logarithmic => "log",
        FrequencyScale.Mel => "mel",
        FrequencyScale.Erb => "erb",
        _ => "octave",
    };
}
