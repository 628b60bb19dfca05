using System.Globalization;
using Friture.Streaming.Configuration;
using Friture.Streaming.Mqtt;
using Friture.Streaming.Osc;
using Friture.Streaming.Protocols;
using Friture.Streaming.Server;
using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Udp;
using Friture.Streaming.Server.WebSockets;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Hosting;

/// <summary>
/// Turns a <see cref="ProtocolSettings"/> entry into a protocol, for <c>StreamingApi.ApplySettings</c> /
/// <c>LoadSettings</c>: kinds <c>websocket</c>, <c>sse</c> (or <c>http_sse</c>), <c>tcp</c>, <c>udp</c>, <c>mqtt</c> and <c>osc</c>.
/// </summary>
/// <remarks>
/// Options read from <see cref="ProtocolSettings.Options"/>: <c>access_token</c> (WebSocket, SSE, TCP),
/// <c>allowed_origins</c> (WebSocket, SSE; comma-separated), <c>clients</c> (UDP; comma-separated <c>host:port</c>
/// destinations). <c>mqtt</c> and <c>osc</c> go to <c>MqttProtocol.FromSettings</c> / <c>OscProtocol.FromSettings</c>
/// (their option keys are in docs/mqtt-osc.md).
/// </remarks>
public static class FritureProtocolFactory
{
    /// <summary>The kinds this factory creates.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["websocket", "sse", "http_sse", "tcp", "udp", "mqtt", "osc"];

    /// <summary>Creates a factory delegate that passes a logger factory and clock to every protocol it creates.</summary>
    /// <param name="loggerFactory">Logger factory, or null.</param>
    /// <param name="timeProvider">Clock, or null for the system clock.</param>
    /// <returns>A delegate for <c>ApplySettings</c>.</returns>
    public static Func<ProtocolSettings, StreamingProtocol> Create(ILoggerFactory? loggerFactory, TimeProvider? timeProvider = null) =>
        settings => Create(settings, loggerFactory, timeProvider);

    /// <summary>Creates the protocol an entry describes (not started).</summary>
    /// <param name="settings">The entry.</param>
    /// <param name="loggerFactory">Logger factory, or null.</param>
    /// <param name="timeProvider">Clock, or null for the system clock.</param>
    /// <returns>The protocol.</returns>
    /// <exception cref="StreamingSettingsException">The kind is unknown or an option is invalid; the message names it.</exception>
    public static StreamingProtocol Create(ProtocolSettings settings, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var host = string.IsNullOrWhiteSpace(settings.Host) ? "localhost" : settings.Host;
        var time = timeProvider ?? TimeProvider.System;
        var kind = settings.Kind?.Trim().ToLowerInvariant();
        switch (kind)
        {
            case "websocket" or "ws":
                var ws = Configure(new WebSocketProtocolOptions(), settings, loggerFactory, time);
                AddOrigins(ws.AllowedOrigins, settings);
                return new WebSocketProtocol(host, settings.Port ?? WebSocketProtocol.DefaultPort, ws);
            case "sse" or "http_sse":
                var sse = Configure(new HttpSseProtocolOptions(), settings, loggerFactory, time);
                AddOrigins(sse.AllowedOrigins, settings);
                return new HttpSseProtocol(host, settings.Port ?? HttpSseProtocol.DefaultPort, sse);
            case "tcp":
                return new TcpProtocol(host, settings.Port ?? TcpProtocol.DefaultPort, Configure(new TcpProtocolOptions(), settings, loggerFactory, time));
            case "udp":
                var udp = new UdpProtocol(host, settings.Port ?? 0, Configure(new UdpProtocolOptions(), settings, loggerFactory, time));
                if (settings.Options.TryGetValue("clients", out var clients))
                {
                    foreach (var client in clients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        var (clientHost, clientPort) = ParseEndpoint(client, "protocols[udp].options.clients");
                        udp.AddClient(clientHost, clientPort);
                    }
                }

                return udp;
            case "mqtt" or "osc":
                try
                {
                    settings.Kind = kind;
                    return kind == "mqtt"
                        ? MqttProtocol.FromSettings(settings, loggerFactory, time)
                        : OscProtocol.FromSettings(settings, loggerFactory, time);
                }
                catch (ArgumentException ex)
                {
                    throw new StreamingSettingsException($"protocols[{kind}]: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
                }
            default:
                throw new StreamingSettingsException(
                    $"Protocol kind '{settings.Kind}' is unknown; it must be one of {string.Join(", ", Kinds)}.");
        }
    }

    /// <summary>Parses <c>host:port</c> (port 1 to 65535; IPv6 hosts in brackets).</summary>
    /// <param name="text">The text.</param>
    /// <param name="name">The option's name, for the message.</param>
    /// <returns>Host and port.</returns>
    /// <exception cref="StreamingSettingsException">The text is not <c>host:port</c>.</exception>
    public static (string Host, int Port) ParseEndpoint(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new StreamingSettingsException($"{name} is '{text}'; it must be host:port with a port between 1 and 65535.");
        }

        return (text[..colon].Trim('[', ']'), port);
    }

    private static T Configure<T>(T options, ProtocolSettings settings, ILoggerFactory? loggerFactory, TimeProvider time)
        where T : ProtocolOptions
    {
        options.LoggerFactory = loggerFactory;
        options.TimeProvider = time;
        if (settings.Options.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token))
        {
            options.AccessToken = token;
        }

        return options;
    }

    private static void AddOrigins(IList<string> origins, ProtocolSettings settings)
    {
        if (settings.Options.TryGetValue("allowed_origins", out var list))
        {
            foreach (var origin in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                origins.Add(origin);
            }
        }
    }
}
