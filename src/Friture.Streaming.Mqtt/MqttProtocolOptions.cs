using Friture.Streaming.Protocols;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Mqtt;

/// <summary>Settings of <see cref="MqttProtocol"/>. The broker itself is the protocol's <c>Host</c> and <c>Port</c>.</summary>
/// <remarks>
/// Validated once, when the protocol is created; every message names the option, its value and the allowed range.
/// Do not change an instance after handing it to a protocol.
/// </remarks>
public sealed class MqttProtocolOptions : StreamingProtocolOptions
{
    /// <summary>First level of every topic (default <c>friture</c>); may contain <c>/</c> but no wildcard.</summary>
    [ConfigurationKeyName("topic_prefix")]
    public string TopicPrefix { get; set; } = "friture";

    /// <summary>
    /// Identifies this station in topics (<c>&lt;prefix&gt;/&lt;source id&gt;/&lt;data_type&gt;</c>); default: the machine
    /// name, lower-cased, with characters other than letters, digits, <c>-</c> and <c>_</c> replaced by <c>_</c>.
    /// </summary>
    [ConfigurationKeyName("source_id")]
    public string? SourceId { get; set; }

    /// <summary>MQTT client id; default <c>friture-&lt;source id&gt;-&lt;8 random hex digits&gt;</c>.</summary>
    [ConfigurationKeyName("client_id")]
    public string? ClientId { get; set; }

    /// <summary>Quality of service of the stream messages (default <see cref="MqttQualityOfService.AtMostOnce"/>).</summary>
    /// <remarks>The status topic is always published with QoS 1 and retained.</remarks>
    [ConfigurationKeyName("qos")]
    public MqttQualityOfService QualityOfService { get; set; } = MqttQualityOfService.AtMostOnce;

    /// <summary>Whether stream messages are retained, so a new subscriber immediately gets the last one of each type (default false).</summary>
    [ConfigurationKeyName("retain")]
    public bool Retain { get; set; }

    /// <summary>User name sent to the broker, or <see langword="null"/> for an anonymous connection.</summary>
    [ConfigurationKeyName("username")]
    public string? Username { get; set; }

    /// <summary>Password sent with <see cref="Username"/>.</summary>
    [ConfigurationKeyName("password")]
    public string? Password { get; set; }

    /// <summary>Whether to connect with TLS (default false; brokers usually listen for TLS on port 8883).</summary>
    [ConfigurationKeyName("tls")]
    public bool UseTls { get; set; }

    /// <summary>
    /// A PEM file holding the certificate authority that signed the broker's certificate, for private CAs; the
    /// system trust store is used when <see langword="null"/>. Only with <see cref="UseTls"/>.
    /// </summary>
    [ConfigurationKeyName("tls_ca_file")]
    public string? TlsCaFile { get; set; }

    /// <summary>Accepts any broker certificate (self-signed test brokers only; default false). Only with <see cref="UseTls"/>.</summary>
    [ConfigurationKeyName("tls_allow_untrusted")]
    public bool TlsAllowUntrustedCertificates { get; set; }

    /// <summary>Capacity of the outgoing queue in messages, 1 to 1,000,000 (default 1,024).</summary>
    /// <remarks>
    /// When full (the broker is slow or unreachable), the oldest message is dropped and counted in
    /// <see cref="MqttStatistics.Dropped"/>, so <see cref="Protocols.StreamingProtocol.Broadcast"/> never blocks.
    /// </remarks>
    [ConfigurationKeyName("queue_capacity")]
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Delay before the first reconnection attempt, 10 ms to 1 minute (default 250 ms); doubled after each failure.</summary>
    [ConfigurationKeyName("reconnect_initial_delay")]
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest delay between reconnection attempts, at least <see cref="ReconnectInitialDelay"/>, at most 1 hour (default 30 s).</summary>
    [ConfigurationKeyName("reconnect_max_delay")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>MQTT keep-alive period, 1 s to 18 h (default 15 s): how soon the broker notices a vanished client and publishes its last will (after 1.5 periods).</summary>
    [ConfigurationKeyName("keep_alive")]
    public TimeSpan KeepAlivePeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Time allowed for connecting and for each acknowledged publish, 1 s to 5 minutes (default 10 s).</summary>
    [ConfigurationKeyName("timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Highest rate per data type in messages per second, keyed by wire name (for example <c>fft_spectrum</c> → 10);
    /// a type not listed, or listed with 0, is published at the rate it arrives. Rates 0 to 10,000 Hz.
    /// </summary>
    /// <remarks>Messages over the rate are skipped (counted in <see cref="MqttStatistics.Skipped"/>), not queued.</remarks>
    [ConfigurationKeyName("rates")]
    public IDictionary<string, double> RatesHz { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// How long a stop may spend publishing what is still queued while the broker is connected, 0 to 60 s (default 1 s).
    /// What is not published by then (or at once, when the broker is not connected) is counted in
    /// <see cref="MqttStatistics.Abandoned"/> and in <see cref="MqttStatistics.Unpublished"/>, and logged.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The source id after defaulting and sanitising.</summary>
    internal string EffectiveSourceId => SanitizeSegment(SourceId ?? Environment.MachineName);

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(TopicPrefix) || TopicPrefix.AsSpan().IndexOfAny("+#\0") >= 0 || TopicPrefix.StartsWith('/') || TopicPrefix.EndsWith('/'))
        {
            throw new ArgumentException(
                $"TopicPrefix is '{TopicPrefix}'; it must be a non-empty MQTT topic without wildcards (+, #) and without a leading or trailing '/'.",
                nameof(TopicPrefix));
        }

        if (SourceId is not null && (string.IsNullOrWhiteSpace(SourceId) || SourceId.Length > 128))
        {
            throw new ArgumentException($"SourceId is '{SourceId}'; it must be 1 to 128 characters (or null for the machine name).", nameof(SourceId));
        }

        if (ClientId is not null && (ClientId.Length is 0 or > 128))
        {
            throw new ArgumentException($"ClientId is '{ClientId}'; it must be 1 to 128 characters (or null for a generated id).", nameof(ClientId));
        }

        if (!Enum.IsDefined(QualityOfService))
        {
            throw new ArgumentOutOfRangeException(nameof(QualityOfService), QualityOfService, $"QualityOfService is {(int)QualityOfService}; it must be 0, 1 or 2.");
        }

        if (Password is not null && Username is null)
        {
            throw new ArgumentException("Password is set but Username is null; MQTT sends a password only with a user name.", nameof(Password));
        }

        if (!UseTls && (TlsCaFile is not null || TlsAllowUntrustedCertificates))
        {
            throw new ArgumentException("TlsCaFile and TlsAllowUntrustedCertificates apply only with UseTls = true.", nameof(UseTls));
        }

        if (TlsCaFile is not null && !File.Exists(TlsCaFile))
        {
            throw new ArgumentException($"TlsCaFile is '{TlsCaFile}'; the file does not exist.", nameof(TlsCaFile));
        }

        Range(nameof(QueueCapacity), QueueCapacity, 1, 1_000_000);
        Range(nameof(ReconnectInitialDelay), ReconnectInitialDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        Range(nameof(ReconnectMaxDelay), ReconnectMaxDelay, ReconnectInitialDelay, TimeSpan.FromHours(1));
        Range(nameof(KeepAlivePeriod), KeepAlivePeriod, TimeSpan.FromSeconds(1), TimeSpan.FromHours(18));
        Range(nameof(Timeout), Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Range(nameof(DrainTimeout), DrainTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        foreach (var (name, rate) in RatesHz)
        {
            if (!DataType.TryParse(name, out _))
            {
                throw new ArgumentException(
                    $"RatesHz names data type '{name}', which is not registered. Known data types: {string.Join(", ", DataType.All)}.",
                    nameof(RatesHz));
            }

            Range($"RatesHz[{name}]", rate, 0, 10_000);
        }
    }

    internal static string SanitizeSegment(string value)
    {
        var chars = value.Trim().ToLowerInvariant().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.'))
            {
                chars[i] = '_';
            }
        }

        return chars.Length == 0 ? "unknown" : new string(chars);
    }
}
