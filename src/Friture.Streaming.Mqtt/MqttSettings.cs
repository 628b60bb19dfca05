using Friture.Streaming.Configuration;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Mqtt;

/// <summary>The <c>mqtt</c> protocol kind of the settings schema: an entry's <c>options</c> are <see cref="MqttProtocolOptions"/>.</summary>
/// <remarks>
/// <code>
/// { "kind": "mqtt", "host": "broker.example", "port": 8883,
///   "options": { "topic_prefix": "site", "qos": 1, "tls": true, "rates": { "fft_spectrum": 10 } } }
/// </code>
/// Register it with <c>services.AddFritureStreaming(...).AddMqtt()</c>, or pass it to <c>LoadSettings</c> /
/// <c>ApplySettings</c>. The entry's <c>host</c> and <c>port</c> are the broker's (default localhost:1883).
/// </remarks>
public static class MqttSettings
{
    /// <summary>The kind (<c>mqtt</c>).</summary>
    public static ProtocolKind Kind { get; } = new ProtocolKind<MqttProtocolOptions>(
        "mqtt",
        MqttProtocol.DefaultPort,
        static (section, options) => section.Bind(options),
        static (settings, options, context) =>
        {
            options.LoggerFactory = context.LoggerFactory;
            options.TimeProvider = context.TimeProvider;
            return new MqttProtocol(string.IsNullOrWhiteSpace(settings.Host) ? "localhost" : settings.Host, settings.Port ?? MqttProtocol.DefaultPort, options);
        },
        static protocol => protocol is MqttProtocol mqtt
            ? new ProtocolSettings { Kind = "mqtt", Host = mqtt.Host, Port = mqtt.Port, Options = mqtt.Options }
            : null);
}
