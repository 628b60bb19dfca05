namespace Friture.Streaming.Analyzers.Spectrogram;

/// <summary>Frequency axis of spectrogram columns (Friture's scales).</summary>
public enum FrequencyScale
{
    /// <summary>Equal spacing in Hz.</summary>
    Linear,

    /// <summary>Equal spacing in log10 of frequency.</summary>
    Logarithmic,

    /// <summary>Mel scale, m = 2595 log10(1 + f / 700).</summary>
    Mel,

    /// <summary>ERB-rate scale, e = 21.33 log10(1 + 0.00437 f) (Glasberg and Moore).</summary>
    Erb,

    /// <summary>Octave scale, log2(f / 1000): equal spacing per octave (the same spacing as logarithmic).</summary>
    Octave,
}
