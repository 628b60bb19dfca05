namespace Friture.Streaming.Tests.Support;

/// <summary>Tests that measure process-wide memory or allocation run alone, so other tests cannot disturb the figures.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NonParallel
{
    public const string Name = "Non-parallel (memory measurements)";
}
