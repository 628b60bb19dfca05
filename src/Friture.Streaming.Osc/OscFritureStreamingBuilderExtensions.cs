using Friture.Streaming.Configuration;
using Friture.Streaming.Osc;

// Extension methods live in the namespace users already import for AddFritureStreaming.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds the <c>osc</c> protocol kind to a Friture streaming host.</summary>
public static class OscFritureStreamingBuilderExtensions
{
    /// <summary>Lets settings, appsettings and flags list <c>osc</c> protocols (<see cref="OscSettings.Kind"/>).</summary>
    /// <param name="builder">The builder returned by <c>AddFritureStreaming</c>.</param>
    /// <returns>The builder.</returns>
    public static IFritureStreamingBuilder AddOsc(this IFritureStreamingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProtocolKind(OscSettings.Kind);
    }
}
