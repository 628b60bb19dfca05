using System.Reflection;
using Friture.Streaming.Hosting;
using Friture.Streaming.Mqtt;
using Friture.Streaming.Osc;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Hosting.Tests.Architecture;

/// <summary>
/// Every public (or protected) method of the five library packages that returns <see cref="Task"/> or
/// <see cref="ValueTask"/> takes a <see cref="CancellationToken"/>, except the dispose pattern (<c>DisposeAsync</c>,
/// <c>DisposeCoreAsync</c>), whose signature <see cref="IAsyncDisposable"/> fixes.
/// </summary>
public sealed class PublicAsyncApiTests
{
    private static readonly Assembly[] Packages =
    [
        typeof(StreamingApi).Assembly,
        typeof(WebSocketProtocol).Assembly,
        typeof(FritureStreamingPipeline).Assembly,
        typeof(MqttProtocol).Assembly,
        typeof(OscProtocol).Assembly,
    ];

    private static readonly HashSet<string> DisposePattern = new(StringComparer.Ordinal) { "DisposeAsync", "DisposeCoreAsync", "DisposeAsyncCore" };

    [Fact]
    public void PublicAsyncMethods_AllTakeACancellationToken()
    {
        var missing = AsyncMethodsWithoutToken(Packages.SelectMany(static a => a.GetExportedTypes())).ToList();
        Assert.True(missing.Count == 0, "Public async methods without a CancellationToken parameter:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Check_FindsAMethodWithoutAToken()
    {
        // The check itself can fail: a type with one such method is reported, and only that method.
        Assert.Equal([$"{typeof(Sample).FullName}.{nameof(Sample.WithoutTokenAsync)}"], AsyncMethodsWithoutToken([typeof(Sample)]));
    }

    [Fact]
    public void Packages_AreTheFiveLibraryPackages_AndEachHasAsyncMethods()
    {
        Assert.Equal(
            ["Friture.Streaming", "Friture.Streaming.Hosting", "Friture.Streaming.Mqtt", "Friture.Streaming.Osc", "Friture.Streaming.Server"],
            Packages.Select(static a => a.GetName().Name).Order(StringComparer.Ordinal));
        Assert.All(Packages, static a => Assert.Contains(a.GetExportedTypes(), static t => Methods(t).Any(IsAsync)));
    }

    private static IEnumerable<string> AsyncMethodsWithoutToken(IEnumerable<Type> types) =>
        from type in types
        from method in Methods(type)
        where IsAsync(method) && !DisposePattern.Contains(method.Name)
            && !method.GetParameters().Any(static p => p.ParameterType == typeof(CancellationToken))
        select $"{type.FullName}.{method.Name}";

    private static IEnumerable<MethodInfo> Methods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(static m => !m.IsSpecialName && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly));

    private static bool IsAsync(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type.IsGenericType)
        {
            type = type.GetGenericTypeDefinition();
        }

        return type == typeof(Task) || type == typeof(ValueTask) || type == typeof(Task<>) || type == typeof(ValueTask<>);
    }

    public sealed class Sample : IAsyncDisposable
    {
        public Task WithoutTokenAsync() => Task.CompletedTask;

        public Task WithTokenAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        internal Task InternalAsync() => Task.CompletedTask;
    }
}
