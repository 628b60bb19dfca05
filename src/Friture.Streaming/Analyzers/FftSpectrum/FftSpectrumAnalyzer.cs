namespace Friture.Streaming.Analyzers.FftSpectrum;

/// <summary>The FftSpectrum analyzer's declaration, listed in <see cref="BuiltInAnalyzers.All"/>.</summary>
internal static class FftSpectrumAnalyzer
{
    /// <summary>Data type, options, producer factory and description of the analyzer.</summary>
    public static AnalyzerDescriptor Descriptor { get; } = AnalyzerDescriptor.Create<FftSpectrumOptions, FftSpectrumProducer>(
        DataType.FftSpectrum,
        "fft",
        "Magnitude and phase spectrum with peak, weighting and windowing, calibrated to 0 dBFS.",
        static (options, producerId) => new FftSpectrumProducer(options, producerId),
        static producer => producer.Options,
        static options => options.Validate());
}
