namespace Friture.Streaming.Producers;

/// <summary>A resource producers of one engine can share through <see cref="IProducerContext.Share{T}"/>.</summary>
/// <typeparam name="T">The resource type.</typeparam>
internal interface ISharedResource<in T>
    where T : class
{
    /// <summary>Whether <paramref name="other"/> would compute exactly what this resource computes, so one can stand for both.</summary>
    /// <param name="other">The resource offered for sharing.</param>
    /// <returns><see langword="true"/> when equivalent.</returns>
    bool IsEquivalentTo(T other);
}
