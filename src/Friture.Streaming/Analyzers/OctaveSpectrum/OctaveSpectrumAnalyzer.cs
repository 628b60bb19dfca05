namespace Friture.Streaming.Analyzers.OctaveSpectrum;

/// <summary>The OctaveSpectrum analyzer's declaration, listed in <see cref="BuiltInAnalyzers.All"/>.</summary>
internal static class OctaveSpectrumAnalyzer
{
    /// <summary>Data type, options, producer factory and description of the analyzer.</summary>
    public static AnalyzerDescriptor Descriptor { get; } = AnalyzerDescriptor.Create<OctaveSpectrumOptions, OctaveSpectrumProducer>(
        DataType.OctaveSpectrum,
        "octave",
        "Octave and fractional-octave band levels (IEC 61260-1 class 1 filter bank).",
        static (options, producerId) => new OctaveSpectrumProducer(options, producerId),
        static producer => producer.Options,
        static options => options.Validate());
}
