namespace Friture.Streaming.Analyzers.Scope;

/// <summary>The Scope analyzer's declaration, listed in <see cref="BuiltInAnalyzers.All"/>.</summary>
internal static class ScopeAnalyzer
{
    /// <summary>Data type, options, producer factory and description of the analyzer.</summary>
    public static AnalyzerDescriptor Descriptor { get; } = AnalyzerDescriptor.Create<ScopeOptions, ScopeProducer>(
        DataType.Scope,
        "scope",
        "Time-domain waveform per channel, triggered or free-running, min/max reduced.",
        static (options, producerId) => new ScopeProducer(options, producerId),
        static producer => producer.Options,
        static options => options.Validate());
}
