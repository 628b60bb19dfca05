using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace Friture.Streaming.Tests.Architecture;

/// <summary>
/// The core's namespaces form a directed acyclic graph: Dsp and Data at the bottom, contracts above them, the engine
/// above those and the <see cref="StreamingApi"/> facade on top. A type-level reference from one namespace to another
/// (a field, a signature, a base type, a call or a type used in a method body) is an edge; any cycle fails this test
/// with the namespaces and one type reference per edge, so the change that made it is easy to find.
/// </summary>
public sealed class NamespaceDependencyTests
{
    private const string Root = "Friture.Streaming";
    private const string Facade = "Friture.Streaming (facade)";
    private const string Vocabulary = "Friture.Streaming (vocabulary)";

    private static readonly HashSet<string> FacadeTypes = new(StringComparer.Ordinal)
    {
        typeof(StreamingApi).FullName!,
        typeof(StreamingApiOptions).FullName!,
    };

    private static readonly Lazy<Dictionary<string, Dictionary<string, string>>> Graph = new(BuildGraph);

    [Fact]
    public void CoreNamespaces_HaveNoDependencyCycle()
    {
        var cycles = FindCycles(Graph.Value);
        Assert.True(cycles.Count == 0, Describe(cycles, Graph.Value));
    }

    [Theory]
    [InlineData("Friture.Streaming.Dsp")]
    [InlineData("Friture.Streaming.Data")]
    public void BottomLayers_DependOnNothingAboveThem(string layer)
    {
        var offending = new List<string>();
        foreach (var (from, targets) in Graph.Value)
        {
            if (!InNamespace(from, layer))
            {
                continue;
            }

            foreach (var (to, example) in targets)
            {
                if (!InNamespace(to, layer) && !(layer == "Friture.Streaming.Dsp" && InNamespace(to, "Friture.Streaming.Data")))
                {
                    offending.Add($"{from} -> {to} ({example})");
                }
            }
        }

        Assert.True(offending.Count == 0, $"{layer} must not depend on the layers above it:\n{string.Join('\n', offending)}");
    }

    [Fact]
    public void Graph_SeesTheFacadeDependingOnTheEngine()
    {
        // Guards the test itself: were the loader to see no dependencies, every graph would be acyclic.
        Assert.True(Graph.Value.TryGetValue(Facade, out var root) && root.ContainsKey("Friture.Streaming.Engine"),
            "The namespace graph should contain the edge Friture.Streaming -> Friture.Streaming.Engine.");
    }

    private static bool InNamespace(string ns, string prefix) =>
        ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal);

    private static Dictionary<string, Dictionary<string, string>> BuildGraph()
    {
        var architecture = new ArchLoader().LoadAssemblies(typeof(StreamingApi).Assembly).Build();
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in architecture.Types)
        {
            var from = NamespaceOf(type);
            if (from is null)
            {
                continue;
            }

            if (!graph.TryGetValue(from, out var targets))
            {
                targets = new Dictionary<string, string>(StringComparer.Ordinal);
                graph[from] = targets;
            }

            foreach (var dependency in type.Dependencies)
            {
                // A generic parameter is not a reference to another type (and the loader can file one under a namespace it does not belong to).
                if (dependency.Target is GenericParameter)
                {
                    continue;
                }

                var to = NamespaceOf(dependency.Target);
                if (to is null || to == from)
                {
                    continue;
                }

                targets.TryAdd(to, $"{type.FullName} uses {dependency.Target.FullName}");
            }
        }

        return graph;
    }

    /// <summary>
    /// The layer a type belongs to: the first namespace level under <c>Friture.Streaming</c> (a feature folder with its
    /// sub-folders, such as <c>Friture.Streaming.Analyzers</c> or <c>Friture.Streaming.Dsp</c>). The root namespace
    /// holds two layers: the facade (<see cref="StreamingApi"/> and its options) on top, and the vocabulary every layer
    /// speaks (<see cref="DataType"/>, <see cref="StreamingData"/>, metadata, error types, event arguments) at the
    /// bottom; keeping the seed's names in the root namespace is why they share it.
    /// </summary>
    private static string? NamespaceOf(IType type)
    {
        var ns = type.Namespace?.FullName;
        if (ns is null || !InNamespace(ns, Root))
        {
            return null;
        }

        if (ns == Root)
        {
            var outer = type.FullName.Split('+')[0];
            return FacadeTypes.Contains(outer) ? Facade : Vocabulary;
        }

        var dot = ns.IndexOf('.', Root.Length + 1);
        return dot < 0 ? ns : ns[..dot];
    }

    /// <summary>Strongly connected components with more than one namespace (Tarjan's algorithm).</summary>
    private static List<List<string>> FindCycles(Dictionary<string, Dictionary<string, string>> graph)
    {
        var index = 0;
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLinks = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var result = new List<List<string>>();

        void Visit(string v)
        {
            indices[v] = lowLinks[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.TryGetValue(v, out var targets) ? targets.Keys : Enumerable.Empty<string>())
            {
                if (!indices.TryGetValue(w, out var wIndex))
                {
                    Visit(w);
                    lowLinks[v] = Math.Min(lowLinks[v], lowLinks[w]);
                }
                else if (onStack.Contains(w))
                {
                    lowLinks[v] = Math.Min(lowLinks[v], wIndex);
                }
            }

            if (lowLinks[v] == indices[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    result.Add(component);
                }
            }
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!indices.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return result;
    }

    private static string Describe(List<List<string>> cycles, Dictionary<string, Dictionary<string, string>> graph)
    {
        var text = new System.Text.StringBuilder("The core's namespaces must not depend on each other in a circle. Cycles found:\n");
        foreach (var component in cycles)
        {
            text.Append("- ").AppendJoin(", ", component).Append('\n');
            foreach (var from in component)
            {
                foreach (var (to, example) in graph[from])
                {
                    if (component.Contains(to))
                    {
                        text.Append("    ").Append(from).Append(" -> ").Append(to).Append(": ").Append(example).Append('\n');
                    }
                }
            }
        }

        return text.ToString();
    }
}
