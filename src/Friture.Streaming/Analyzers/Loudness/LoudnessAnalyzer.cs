namespace Friture.Streaming.Analyzers.Loudness;

/// <summary>The loudness analyzer's declaration, listed in <see cref="BuiltInAnalyzers.All"/>.</summary>
internal static class LoudnessAnalyzer
{
    /// <summary>Data type, options, producer factory and description of the analyzer.</summary>
    public static AnalyzerDescriptor Descriptor { get; } = AnalyzerDescriptor.Create<LoudnessOptions, LoudnessProducer>(
        DataType.Loudness,
        "loudness",
        "Programme loudness after ITU-R BS.1770-4 / EBU R128: momentary, short-term, integrated, range, true peak.",
        static (options, producerId) => new LoudnessProducer(options, producerId),
        static producer => producer.Options,
        static options => options.Validate());
}
