using System.Diagnostics.CodeAnalysis;

namespace Friture.Streaming.Configuration;

/// <summary>Protocol kinds by name and alias (case-insensitive); the last registration of a name wins.</summary>
internal sealed class ProtocolKindSet
{
    private readonly Dictionary<string, ProtocolKind> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ProtocolKind> _kinds = [];

    public ProtocolKindSet(IEnumerable<ProtocolKind>? kinds)
    {
        foreach (var kind in kinds ?? [])
        {
            _kinds.RemoveAll(k => string.Equals(k.Name, kind.Name, StringComparison.OrdinalIgnoreCase));
            _kinds.Add(kind);
            _byName[kind.Name] = kind;
            foreach (var alias in kind.Aliases)
            {
                _byName[alias] = kind;
            }
        }
    }

    public IEnumerable<string> Names => _kinds.Select(static k => k.Name);

    public IReadOnlyList<ProtocolKind> Kinds => _kinds;

    public bool TryGet(string? name, [NotNullWhen(true)] out ProtocolKind? kind)
    {
        kind = null;
        return name is not null && _byName.TryGetValue(name.Trim(), out kind);
    }
}
