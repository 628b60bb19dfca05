namespace Friture.Streaming.Analyzers.DelayEstimator;

/// <summary>The DelayEstimator analyzer's declaration, listed in <see cref="BuiltInAnalyzers.All"/>.</summary>
internal static class DelayEstimatorAnalyzer
{
    /// <summary>Data type, options, producer factory and description of the analyzer.</summary>
    public static AnalyzerDescriptor Descriptor { get; } = AnalyzerDescriptor.Create<DelayEstimatorOptions, DelayEstimatorProducer>(
        DataType.DelayEstimator,
        "delay",
        "Delay between two channels, with polarity and confidence (GCC-PHAT).",
        static (options, producerId) => new DelayEstimatorProducer(options, producerId),
        static producer => producer.Options,
        static options => options.Validate());
}
