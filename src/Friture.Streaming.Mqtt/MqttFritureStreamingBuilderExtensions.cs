using Friture.Streaming.Configuration;
using Friture.Streaming.Mqtt;

// Extension methods live in the namespace users already import for AddFritureStreaming.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds the <c>mqtt</c> protocol kind to a Friture streaming host.</summary>
public static class MqttFritureStreamingBuilderExtensions
{
    /// <summary>Lets settings, appsettings and flags list <c>mqtt</c> protocols (<see cref="MqttSettings.Kind"/>).</summary>
    /// <param name="builder">The builder returned by <c>AddFritureStreaming</c>.</param>
    /// <returns>The builder.</returns>
    public static IFritureStreamingBuilder AddMqtt(this IFritureStreamingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProtocolKind(MqttSettings.Kind);
    }
}
