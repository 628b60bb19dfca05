using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.Loudness;
using Friture.Streaming.Analyzers.OctaveSpectrum;
using Friture.Streaming.Analyzers.PitchTracker;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Hosting;

/// <summary>Options of the built-in analyzers a hosted pipeline registers (<c>Friture:Streaming:analyzers</c>).</summary>
/// <remarks>Each analyzer's defaults are Friture's (see its options class). Property names inside each object are the options' own (for example <c>FftSize</c>).</remarks>
public sealed class FritureAnalyzerOptions
{
    /// <summary>FFT spectrum (<c>fft_spectrum</c>).</summary>
    [ConfigurationKeyName("fft_spectrum")]
    public FftSpectrumOptions FftSpectrum { get; set; } = new();

    /// <summary>Octave spectrum (<c>octave_spectrum</c>).</summary>
    [ConfigurationKeyName("octave_spectrum")]
    public OctaveSpectrumOptions OctaveSpectrum { get; set; } = new();

    /// <summary>Levels (<c>levels</c>).</summary>
    [ConfigurationKeyName("levels")]
    public LevelsOptions Levels { get; set; } = new();

    /// <summary>Pitch tracker (<c>pitch_tracker</c>).</summary>
    [ConfigurationKeyName("pitch_tracker")]
    public PitchTrackerOptions PitchTracker { get; set; } = new();

    /// <summary>Spectrogram (<c>spectrogram</c>).</summary>
    [ConfigurationKeyName("spectrogram")]
    public SpectrogramOptions Spectrogram { get; set; } = new();

    /// <summary>Scope (<c>scope</c>).</summary>
    [ConfigurationKeyName("scope")]
    public ScopeOptions Scope { get; set; } = new();

    /// <summary>Delay estimator (<c>delay_estimator</c>).</summary>
    [ConfigurationKeyName("delay_estimator")]
    public DelayEstimatorOptions DelayEstimator { get; set; } = new();

    /// <summary>Loudness (<c>loudness</c>, ITU-R BS.1770-4 / EBU R128).</summary>
    [ConfigurationKeyName("loudness")]
    public LoudnessOptions Loudness { get; set; } = new();

    /// <summary>
    /// The options of a built-in analyzer, by its data type: the typed properties above are the settings schema (one per
    /// key); the pipeline reads them through this, in the order of <see cref="Analyzers.BuiltInAnalyzers.All"/>.
    /// </summary>
    /// <param name="dataType">A built-in data type.</param>
    /// <returns>Its options, or <see langword="null"/> (the analyzer's defaults) for a type without a property here.</returns>
    internal object? OptionsFor(DataType dataType) => dataType.Name switch
    {
        "fft_spectrum" => FftSpectrum,
        "octave_spectrum" => OctaveSpectrum,
        "levels" => Levels,
        "pitch_tracker" => PitchTracker,
        "spectrogram" => Spectrogram,
        "scope" => Scope,
        "delay_estimator" => DelayEstimator,
        "loudness" => Loudness,
        _ => null,
    };

    /// <summary>Validates every analyzer's options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        FftSpectrum.Validate();
        OctaveSpectrum.Validate();
        Levels.Validate();
        PitchTracker.Validate();
        Spectrogram.Validate();
        Scope.Validate();
        DelayEstimator.Validate();
        Loudness.Validate();
    }
}
