using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.Loudness;
using Friture.Streaming.Analyzers.OctaveSpectrum;
using Friture.Streaming.Analyzers.PitchTracker;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;

namespace Friture.Streaming.Analyzers;

/// <summary>
/// The analyzers that ship with the library, in the order of <see cref="DataType.BuiltIn"/>. This is the one list:
/// <see cref="DefaultProducers.RegisterDefaultProducers"/>, the hosting pipeline, the OSC encoder and the dashboard's
/// metadata read it. Adding an analyzer adds one line here (see CONTRIBUTING.md).
/// </summary>
public static class BuiltInAnalyzers
{
    /// <summary>Every built-in analyzer, in the order of <see cref="DataType.BuiltIn"/>.</summary>
    public static IReadOnlyList<AnalyzerDescriptor> All { get; } =
    [
        PitchTrackerAnalyzer.Descriptor,
        FftSpectrumAnalyzer.Descriptor,
        OctaveSpectrumAnalyzer.Descriptor,
        LevelsAnalyzer.Descriptor,
        DelayEstimatorAnalyzer.Descriptor,
        SpectrogramAnalyzer.Descriptor,
        ScopeAnalyzer.Descriptor,
        LoudnessAnalyzer.Descriptor,
    ];

    /// <summary>The built-in analyzer of a data type.</summary>
    /// <param name="dataType">The data type.</param>
    /// <returns>The descriptor, or <see langword="null"/> for an application-defined type.</returns>
    public static AnalyzerDescriptor? Find(DataType dataType)
    {
        foreach (var descriptor in All)
        {
            if (descriptor.DataType == dataType)
            {
                return descriptor;
            }
        }

        return null;
    }
}
