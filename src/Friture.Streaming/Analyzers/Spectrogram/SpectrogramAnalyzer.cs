namespace Friture.Streaming.Analyzers.Spectrogram;

/// <summary>The Spectrogram analyzer's declaration, listed in <see cref="BuiltInAnalyzers.All"/>.</summary>
internal static class SpectrogramAnalyzer
{
    /// <summary>Data type, options, producer factory and description of the analyzer.</summary>
    public static AnalyzerDescriptor Descriptor { get; } = AnalyzerDescriptor.Create<SpectrogramOptions, SpectrogramProducer>(
        DataType.Spectrogram,
        "spectrogram",
        "Spectrogram columns in dB on a linear, log, mel, ERB or octave frequency scale.",
        static (options, producerId) => new SpectrogramProducer(options, producerId),
        static producer => producer.Options,
        static options => options.Validate());
}
