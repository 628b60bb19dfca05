using System.Security.Cryptography.X509Certificates;

namespace Friture.Streaming.Server.WebSockets;

/// <summary>Settings of <see cref="WebSocketProtocol"/>, on top of those shared by every protocol.</summary>
public sealed class WebSocketProtocolOptions : ProtocolOptions
{
    /// <summary>
    /// Browser origins allowed to connect, for example <c>https://dashboard.example</c>. Empty (the default) allows
    /// only the server's own origin and clients that send no Origin header (non-browser programs); <c>*</c> allows any.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>
    /// Whether to accept permessage-deflate compression when a client offers it (default <see langword="false"/>).
    /// Worth it for large JSON spectra over slow links; costs CPU per message and per client.
    /// </summary>
    public bool EnableCompression { get; set; }

    /// <summary>
    /// Host names clients may use besides the defaults (against DNS rebinding), for example <c>studio.lan</c> or
    /// <c>*.example.org</c>; <c>*</c> allows any. Always allowed: <c>localhost</c>, <c>*.localhost</c>, IP address
    /// literals and the host the protocol binds. A request with another <c>Host</c> header gets 400 and no stream.
    /// </summary>
    public IList<string> AllowedHosts { get; } = new List<string>();

    /// <summary>Interval of WebSocket ping frames that keep idle connections open, 0 to disable. Default 30 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing handshake may take before the connection is aborted, 0.1 to 60 s. Default 1.5 s, so a stop with clients connected ends within 2 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Server certificate: when set, the self-hosted endpoint speaks <c>wss://</c> (TLS). Default none.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>The host's handler of <c>configure</c> and <c>reset</c> control messages, or null (they are refused).</summary>
    internal Clients.ControlExtension? ControlExtension { get; set; }

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        Range(nameof(KeepAliveInterval), KeepAliveInterval, TimeSpan.Zero, TimeSpan.FromSeconds(3600));
        Range(nameof(CloseTimeout), CloseTimeout, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(60));
        foreach (var host in AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(host))
            {
                throw new ArgumentException("AllowedHosts holds an empty entry; list host names such as studio.lan or *.example.org, or *.", nameof(AllowedHosts));
            }
        }

        foreach (var origin in AllowedOrigins)
        {
            if (string.IsNullOrWhiteSpace(origin))
            {
                throw new ArgumentException("AllowedOrigins holds an empty entry; list origins such as https://host:port, or *.", nameof(AllowedOrigins));
            }
        }
    }
}
