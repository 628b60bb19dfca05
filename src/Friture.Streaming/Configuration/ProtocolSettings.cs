using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>
/// A network protocol described in a settings file (<c>protocols[]</c>). The core records it; a protocol package turns
/// it into a protocol (see <see cref="StreamingSettingsExtensions.ApplySettings"/>).
/// </summary>
public sealed class ProtocolSettings
{
    /// <summary>Protocol kind: <c>websocket</c>, <c>tcp</c>, <c>udp</c>, <c>sse</c>, <c>mqtt</c>, <c>osc</c>, ...</summary>
    [ConfigurationKeyName("kind")]
    public string? Kind { get; set; }

    /// <summary>Whether to create it (default true).</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Interface to bind (default <c>localhost</c>).</summary>
    [ConfigurationKeyName("host")]
    public string? Host { get; set; }

    /// <summary>Port (default: the protocol's own, e.g. 8765 for WebSocket).</summary>
    [ConfigurationKeyName("port")]
    public int? Port { get; set; }

    /// <summary><c>json</c> (default) or <c>binary</c>.</summary>
    [ConfigurationKeyName("serialization_format")]
    public string? SerializationFormat { get; set; }

    /// <summary>Data types (wire names) to send; empty means every built-in type.</summary>
    [ConfigurationKeyName("data_types")]
    public List<string> DataTypes { get; set; } = [];

    /// <summary>Protocol-specific options (token, certificate path, broker, ...), as strings.</summary>
    [ConfigurationKeyName("options")]
    public Dictionary<string, string> Options { get; set; } = new(StringComparer.Ordinal);
}
