using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>
/// A network protocol described in settings (<c>protocols[]</c>, or <c>protocols.&lt;kind&gt;</c>): what every protocol
/// has (kind, host, port, format, data types, destinations) and its own options, of the type its
/// <see cref="ProtocolKind"/> declares (for example <c>TcpProtocolOptions</c> for <c>tcp</c>).
/// </summary>
public sealed class ProtocolSettings
{
    /// <summary>Protocol kind: <c>websocket</c>, <c>sse</c>, <c>tcp</c>, <c>udp</c>, <c>mqtt</c>, <c>osc</c>, or a third party's.</summary>
    [ConfigurationKeyName("kind")]
    public string? Kind { get; set; }

    /// <summary>Whether to create it (default true).</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Interface to bind, or the broker's host for MQTT (default <c>localhost</c>).</summary>
    [ConfigurationKeyName("host")]
    public string? Host { get; set; }

    /// <summary>Port (default: the kind's own, e.g. 8765 for WebSocket).</summary>
    [ConfigurationKeyName("port")]
    public int? Port { get; set; }

    /// <summary><c>json</c> (default) or <c>binary</c>.</summary>
    [ConfigurationKeyName("serialization_format")]
    public string? SerializationFormat { get; set; }

    /// <summary>Data types (wire names) to send; empty means every built-in type.</summary>
    [ConfigurationKeyName("data_types")]
    public List<string> DataTypes { get; set; } = [];

    /// <summary>Send-only kinds (<c>udp</c>, <c>osc</c>): the destinations, each <c>host:port</c>.</summary>
    [ConfigurationKeyName("clients")]
    public List<string> Clients { get; set; } = [];

    /// <summary>
    /// The protocol's own options (an instance of its kind's <see cref="ProtocolKind.OptionsType"/>, for example
    /// <c>TcpProtocolOptions</c> with its <c>AccessToken</c>), or null for the defaults. In a settings file: the
    /// <c>options</c> object, with the options' keys in snake_case.
    /// </summary>
    [ConfigurationKeyName("options")]
    public object? Options { get; set; }

    /// <summary>The checked <c>options</c> section when it was read before the kind was known.</summary>
    internal IConfiguration? OptionsSection { get; set; }
}
