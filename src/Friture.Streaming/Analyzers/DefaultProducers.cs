using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.Loudness;
using Friture.Streaming.Analyzers.OctaveSpectrum;
using Friture.Streaming.Analyzers.PitchTracker;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers;

/// <summary>Registers Friture's seven analyzers and the loudness meter in one call (the seed's <c>setup_streaming_integration</c>).</summary>
public static class DefaultProducers
{
    /// <summary>
    /// Registers one producer of each built-in data type with default options (Friture's defaults): pitch tracker,
    /// FFT spectrum, octave spectrum, levels, delay estimator, spectrogram, scope and loudness. Producers stay idle until a
    /// consumer registers for their type, so registering all of them costs nothing.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <returns>The producers, in the order of <see cref="DataType.BuiltIn"/>.</returns>
    public static IReadOnlyList<DataProducer> RegisterDefaultProducers(this StreamingApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        DataProducer[] producers =
        [
            new PitchTrackerProducer(new PitchTrackerOptions(), "pitch_tracker"),
            new FftSpectrumProducer(new FftSpectrumOptions(), "fft_spectrum"),
            new OctaveSpectrumProducer(new OctaveSpectrumOptions(), "octave_spectrum"),
            new LevelsProducer(new LevelsOptions(), "levels"),
            new DelayEstimatorProducer(new DelayEstimatorOptions(), "delay_estimator"),
            new SpectrogramProducer(new SpectrogramOptions(), "spectrogram"),
            new ScopeProducer(new ScopeOptions(), "scope"),
            new LoudnessProducer(new LoudnessOptions(), "loudness"),
        ];
        foreach (var producer in producers)
        {
            api.RegisterProducer(producer);
        }

        return producers;
    }
}
