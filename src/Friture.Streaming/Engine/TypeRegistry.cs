namespace Friture.Streaming.Engine;

/// <summary>Per-data-type engine state indexed by <see cref="DataType"/>'s dense index; grows when types are registered.</summary>
internal sealed class TypeRegistry
{
    private readonly Lock _lock = new();
    private TypeState?[] _states = [];

    /// <summary>Lock-free lookup for the publishing path; null when the type has no state yet.</summary>
    public TypeState? Find(DataType dataType)
    {
        var states = Volatile.Read(ref _states);
        return dataType.Index < states.Length ? states[dataType.Index] : null;
    }

    public TypeState Get(DataType dataType)
    {
        var found = Find(dataType);
        if (found is not null)
        {
            return found;
        }

        lock (_lock)
        {
            var states = _states;
            if (dataType.Index >= states.Length)
            {
                var grown = new TypeState?[Math.Max(DataType.All.Count, dataType.Index + 1)];
                states.CopyTo(grown, 0);
                states = grown;
            }
            else
            {
                states = (TypeState?[])states.Clone();
            }

            var state = states[dataType.Index] ??= new TypeState(dataType);
            Volatile.Write(ref _states, states);
            return state;
        }
    }

    public IEnumerable<TypeState> All()
    {
        foreach (var state in Volatile.Read(ref _states))
        {
            if (state is not null)
            {
                yield return state;
            }
        }
    }
}
