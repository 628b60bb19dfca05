namespace Friture.Streaming.Analyzers.PitchTracker;

/// <summary>The PitchTracker analyzer's declaration, listed in <see cref="BuiltInAnalyzers.All"/>.</summary>
internal static class PitchTrackerAnalyzer
{
    /// <summary>Data type, options, producer factory and description of the analyzer.</summary>
    public static AnalyzerDescriptor Descriptor { get; } = AnalyzerDescriptor.Create<PitchTrackerOptions, PitchTrackerProducer>(
        DataType.PitchTracker,
        "pitch",
        "Fundamental frequency with a real confidence, note name and cents (YIN).",
        static (options, producerId) => new PitchTrackerProducer(options, producerId),
        static producer => producer.Options,
        static options => options.Validate());
}
