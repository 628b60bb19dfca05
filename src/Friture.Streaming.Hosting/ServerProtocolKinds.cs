using Friture.Streaming.Configuration;
using Friture.Streaming.Protocols;
using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Udp;
using Friture.Streaming.Server.WebSockets;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Hosting;

/// <summary>
/// The protocol kinds of the settings schema for the server package's protocols: <c>websocket</c>, <c>sse</c> (or
/// <c>http_sse</c>), <c>tcp</c> and <c>udp</c>. Each entry's <c>options</c> section is the protocol's own options type
/// (for example <c>TcpProtocolOptions</c>: <c>access_token</c>, <c>queue_capacity</c>, <c>max_connections</c>, ...).
/// </summary>
/// <remarks><c>AddFritureStreaming</c> registers them; MQTT and OSC come from their packages (<c>.AddMqtt()</c>, <c>.AddOsc()</c>).</remarks>
public static class ServerProtocolKinds
{
    /// <summary>WebSocket on its own Kestrel server (<c>websocket</c>; options: <see cref="WebSocketProtocolOptions"/>).</summary>
    public static ProtocolKind WebSocket { get; } = new ProtocolKind<WebSocketProtocolOptions>(
        "websocket",
        WebSocketProtocol.DefaultPort,
        Bind,
        static (settings, options, context) =>
            new WebSocketProtocol(HostOf(settings), settings.Port ?? WebSocketProtocol.DefaultPort, With(options, context)),
        static protocol => protocol is WebSocketProtocol ws ? Entry("websocket", ws, ws.Options) : null,
        aliases: "ws");

    /// <summary>Server-Sent Events on its own Kestrel server (<c>sse</c> or <c>http_sse</c>; options: <see cref="HttpSseProtocolOptions"/>).</summary>
    public static ProtocolKind Sse { get; } = new ProtocolKind<HttpSseProtocolOptions>(
        "sse",
        HttpSseProtocol.DefaultPort,
        Bind,
        static (settings, options, context) =>
            new HttpSseProtocol(HostOf(settings), settings.Port ?? HttpSseProtocol.DefaultPort, With(options, context)),
        static protocol => protocol is HttpSseProtocol sse ? Entry("sse", sse, sse.Options) : null,
        aliases: "http_sse");

    /// <summary>Length-prefixed frames over TCP (<c>tcp</c>; options: <see cref="TcpProtocolOptions"/>).</summary>
    public static ProtocolKind Tcp { get; } = new ProtocolKind<TcpProtocolOptions>(
        "tcp",
        TcpProtocol.DefaultPort,
        Bind,
        static (settings, options, context) =>
            new TcpProtocol(HostOf(settings), settings.Port ?? TcpProtocol.DefaultPort, With(options, context)),
        static protocol => protocol is TcpProtocol tcp ? Entry("tcp", tcp, tcp.Options) : null);

    /// <summary>Datagrams to the entry's <c>clients</c> (<c>udp</c>; options: <see cref="UdpProtocolOptions"/>).</summary>
    public static ProtocolKind Udp { get; } = new ProtocolKind<UdpProtocolOptions>(
        "udp",
        0,
        Bind,
        static (settings, options, context) =>
        {
            var udp = new UdpProtocol(HostOf(settings), settings.Port ?? 0, With(options, context));
            foreach (var client in settings.Clients)
            {
                if (!StreamingSettingsExtensions.TryEndpoint(client, out var host, out var port))
                {
                    throw new ArgumentException($"clients has '{client}'; each must be host:port with a port between 1 and 65535.", nameof(settings));
                }

                udp.AddClient(host, port);
            }

            return udp;
        },
        static protocol => protocol is UdpProtocol udp
            ? Entry("udp", udp, udp.Options, [.. udp.GetStatistics().Clients.Select(static c => c.RemoteEndPoint)])
            : null);

    /// <summary>The four kinds.</summary>
    public static IReadOnlyList<ProtocolKind> All { get; } = [WebSocket, Sse, Tcp, Udp];

    private static void Bind<T>(IConfiguration section, T options)
        where T : class => section.Bind(options);

    private static string HostOf(ProtocolSettings settings) => string.IsNullOrWhiteSpace(settings.Host) ? "localhost" : settings.Host;

    private static T With<T>(T options, ProtocolContext context)
        where T : StreamingProtocolOptions
    {
        options.LoggerFactory = context.LoggerFactory;
        options.TimeProvider = context.TimeProvider;
        return options;
    }

    private static ProtocolSettings Entry(string kind, StreamingProtocol protocol, object options, List<string>? clients = null) =>
        new() { Kind = kind, Host = protocol.Host, Port = protocol.Port, Options = options, Clients = clients ?? [] };
}
