namespace Friture.Streaming.Producers;

/// <summary>
/// What a producer may ask of the engine it joins, passed to <see cref="DataProducer.OnRegistering"/> under the
/// registration lock. Producers see this and nothing else of the engine.
/// </summary>
internal interface IProducerContext
{
    /// <summary>
    /// The resource equivalent to <paramref name="candidate"/> already shared by another producer of the same engine
    /// (one FFT per frame between spectrum analyzers that use the same frames), or <paramref name="candidate"/>, which
    /// is shared from now on.
    /// </summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="candidate">The producer's own resource.</param>
    /// <returns>The resource to use.</returns>
    T Share<T>(T candidate)
        where T : class, ISharedResource<T>;
}
