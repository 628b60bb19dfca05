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

/// <summary>Options of the seven analyzers a hosted pipeline registers (<c>Friture:Streaming:analyzers</c>).</summary>
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
