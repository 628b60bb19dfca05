using Friture.Streaming.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Friture.Streaming.Hosting;

/// <summary>The builder <c>AddFritureStreaming</c> returns: protocol kinds are registered as <see cref="ProtocolKind"/> singletons.</summary>
internal sealed class FritureStreamingBuilder(IServiceCollection services) : IFritureStreamingBuilder
{
    public IServiceCollection Services { get; } = services;

    public IFritureStreamingBuilder AddProtocolKind(ProtocolKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        Services.AddSingleton(kind);
        return this;
    }
}
