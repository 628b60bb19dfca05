using Friture.Streaming.Producers;

namespace Friture.Streaming.Engine;

/// <summary>
/// Resources the producers of one engine share (today: the spectrum analyzers' FFT frame sources, so that analyzers
/// with the same FFT size, overlap, window and channel run one FFT per frame between them). Used under the
/// registration lock only.
/// </summary>
internal sealed class SharedResourcePool : IProducerContext
{
    private readonly List<object> _resources = [];

    public T Share<T>(T candidate)
        where T : class, ISharedResource<T>
    {
        ArgumentNullException.ThrowIfNull(candidate);
        foreach (var resource in _resources)
        {
            if (resource is T shared && shared.IsEquivalentTo(candidate))
            {
                return shared;
            }
        }

        _resources.Add(candidate);
        return candidate;
    }
}
