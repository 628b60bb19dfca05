using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.Loudness;
using Friture.Streaming.Analyzers.OctaveSpectrum;
using Friture.Streaming.Analyzers.PitchTracker;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;
using System.Reflection;
using Friture.Streaming.Analyzers;
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

    /// <summary>The property of each analyzer's options, by settings key (<see cref="AnalyzerDescriptor.SettingsKey"/>).</summary>
    private static readonly Dictionary<string, PropertyInfo> PropertiesByKey = typeof(FritureAnalyzerOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(static p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not null)
        .ToDictionary(static p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name, StringComparer.Ordinal);

    /// <summary>
    /// The options of a built-in analyzer: the typed property above whose key is the descriptor's settings key. The
    /// properties are the settings schema (one per key, read by the schema check and the settings writer); everything
    /// else (the pipeline, validation, live reconfiguration) goes through the descriptors of
    /// <see cref="BuiltInAnalyzers.All"/>, so this class has no per-analyzer code beyond its properties.
    /// </summary>
    /// <param name="analyzer">A built-in analyzer.</param>
    /// <returns>Its options, or <see langword="null"/> (the analyzer's defaults) for an analyzer without a property here.</returns>
    internal object? OptionsFor(AnalyzerDescriptor analyzer) =>
        PropertiesByKey.TryGetValue(analyzer.SettingsKey, out var property) && property.PropertyType == analyzer.OptionsType
            ? property.GetValue(this)
            : null;

    /// <summary>The settings keys that have a property here (for the test that keeps them and the descriptors in step).</summary>
    internal static IReadOnlyCollection<string> SettingsKeys => PropertiesByKey.Keys;

    /// <summary>Validates every analyzer's options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        foreach (var analyzer in BuiltInAnalyzers.All)
        {
            if (OptionsFor(analyzer) is { } options)
            {
                analyzer.Validate(options);
            }
        }
    }
}
