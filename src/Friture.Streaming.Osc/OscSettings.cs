using Friture.Streaming.Configuration;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Osc;

/// <summary>The <c>osc</c> protocol kind of the settings schema: an entry's <c>options</c> are <see cref="OscProtocolOptions"/>.</summary>
/// <remarks>
/// <code>
/// { "kind": "osc", "clients": [ "127.0.0.1:9000" ],
///   "options": { "address_prefix": "/lab", "transport": "tcp_slip", "bundles": false, "spectrum_points": 0 } }
/// </code>
/// <c>clients</c> are the receivers (host:port). Register the kind with <c>services.AddFritureStreaming(...).AddOsc()</c>,
/// or pass it to <c>LoadSettings</c> / <c>ApplySettings</c>.
/// </remarks>
public static class OscSettings
{
    /// <summary>The kind (<c>osc</c>).</summary>
    public static ProtocolKind Kind { get; } = new ProtocolKind<OscProtocolOptions>(
        "osc",
        0,
        static (section, options) => section.Bind(options),
        static (settings, options, context) =>
        {
            options.LoggerFactory = context.LoggerFactory;
            options.TimeProvider = context.TimeProvider;
            var protocol = new OscProtocol(string.IsNullOrWhiteSpace(settings.Host) ? "localhost" : settings.Host, settings.Port ?? 0, options);
            foreach (var client in settings.Clients)
            {
                if (!StreamingSettingsExtensions.TryEndpoint(client, out var host, out var port))
                {
                    throw new ArgumentException($"clients has '{client}'; each must be host:port with a port between 1 and 65535.", nameof(settings));
                }

                protocol.AddClient(host, port);
            }

            return protocol;
        },
        static protocol => protocol is OscProtocol osc
            ? new ProtocolSettings
            {
                Kind = "osc",
                Host = osc.Host,
                Port = osc.Port,
                Options = osc.Options,
                Clients = [.. osc.GetStatistics().Clients.Select(static c => c.RemoteEndPoint)],
            }
            : null);
}
