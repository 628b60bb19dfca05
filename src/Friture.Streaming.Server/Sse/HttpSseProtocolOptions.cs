using System.Security.Cryptography.X509Certificates;

namespace Friture.Streaming.Server.Sse;

/// <summary>Settings of <see cref="HttpSseProtocol"/>, on top of those shared by every protocol.</summary>
public sealed class HttpSseProtocolOptions : ProtocolOptions
{
    /// <summary>
    /// CORS: browser origins allowed to read the stream, for example <c>http://localhost:3000</c>. Empty (the default)
    /// allows only the server's own origin and non-browser clients; <c>*</c> allows any page (the original API's behaviour:
    /// any web site the user visits could then read the stream, so opt in deliberately).
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>
    /// Host names clients may use besides the defaults (against DNS rebinding), for example <c>studio.lan</c> or
    /// <c>*.example.org</c>; <c>*</c> allows any. Always allowed: <c>localhost</c>, <c>*.localhost</c>, IP address
    /// literals and the host the protocol binds. A request with another <c>Host</c> header gets 400 and no stream.
    /// </summary>
    public IList<string> AllowedHosts { get; } = new List<string>();

    /// <summary>Interval of keep-alive comments (<c>: keep-alive</c>) on an idle stream, 0 to disable. Default 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconnection delay suggested to EventSource clients (the <c>retry:</c> field), 0 to omit. Default 2 s.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Messages kept for <c>Last-Event-ID</c> replay after a reconnection, 0 (no replay) to 100,000. Default 256.
    /// </summary>
    public int ReplayBufferSize { get; set; } = 256;

    /// <summary>How long ending the streams may take at stop before connections are aborted, 0.1 to 60 s. Default 1.5 s, so a stop with clients connected ends within 2 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Server certificate: when set, the self-hosted endpoint speaks <c>https://</c>. Default none.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        Range(nameof(KeepAliveInterval), KeepAliveInterval, TimeSpan.Zero, TimeSpan.FromSeconds(3600));
        Range(nameof(RetryInterval), RetryInterval, TimeSpan.Zero, TimeSpan.FromSeconds(3600));
        Range(nameof(ReplayBufferSize), ReplayBufferSize, 0, 100_000);
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
