using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers;

/// <summary>Registers Friture's analyzers in one call (<c>setup_streaming_integration</c> in the original Friture streaming API).</summary>
public static class DefaultProducers
{
    /// <summary>
    /// Registers one producer of each built-in analyzer (<see cref="BuiltInAnalyzers.All"/>) with default options
    /// (Friture's defaults): pitch tracker, FFT spectrum, octave spectrum, levels, delay estimator, spectrogram,
    /// scope and loudness. Producers stay idle until a consumer registers for their type, so registering all of them costs nothing.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <returns>The producers, in the order of <see cref="DataType.BuiltIn"/>.</returns>
    public static IReadOnlyList<DataProducer> RegisterDefaultProducers(this StreamingApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var analyzers = BuiltInAnalyzers.All;
        var producers = new DataProducer[analyzers.Count];
        for (var i = 0; i < producers.Length; i++)
        {
            // The wire name doubles as the producer id, so that metadata says which analyzer produced a message.
            producers[i] = analyzers[i].CreateProducer(null, analyzers[i].DataType.Name);
            api.RegisterProducer(producers[i]);
        }

        return producers;
    }
}
