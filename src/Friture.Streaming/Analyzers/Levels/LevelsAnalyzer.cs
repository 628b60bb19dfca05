namespace Friture.Streaming.Analyzers.Levels;

/// <summary>The Levels analyzer's declaration, listed in <see cref="BuiltInAnalyzers.All"/>.</summary>
internal static class LevelsAnalyzer
{
    /// <summary>Data type, options, producer factory and description of the analyzer.</summary>
    public static AnalyzerDescriptor Descriptor { get; } = AnalyzerDescriptor.Create<LevelsOptions, LevelsProducer>(
        DataType.Levels,
        "levels",
        "Peak, RMS, peak hold, Leq and Lmax per channel in dBFS (IEC 61672 time weightings).",
        static (options, producerId) => new LevelsProducer(options, producerId),
        static producer => producer.Options,
        static options => options.Validate());
}
