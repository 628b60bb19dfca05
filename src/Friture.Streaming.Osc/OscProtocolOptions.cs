using Friture.Streaming.Protocols;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Osc;

/// <summary>Settings of <see cref="OscProtocol"/>.</summary>
/// <remarks>Validated once, when the protocol is created; every message names the option, its value and the allowed range.</remarks>
public sealed class OscProtocolOptions : StreamingProtocolOptions
{
    private static readonly System.Buffers.SearchValues<char> ForbiddenInAddress = System.Buffers.SearchValues.Create(" #*,?[]{}");

    /// <summary>First part of every address (default <c>/friture</c>): messages go to <c>/friture/pitch</c>, <c>/friture/levels</c>, ...</summary>
    [ConfigurationKeyName("address_prefix")]
    public string AddressPrefix { get; set; } = "/friture";

    /// <summary>UDP datagrams (default) or TCP with SLIP framing.</summary>
    [ConfigurationKeyName("transport")]
    public OscTransport Transport { get; set; } = OscTransport.Udp;

    /// <summary>
    /// Whether each message travels in a bundle whose time tag is the audio-clock time of the result (default true);
    /// when false, bare messages are sent (handled on arrival).
    /// </summary>
    /// <remarks>Time tag = wall time of the stream start + <c>stream_time</c>, in NTP format; see <see cref="OscProtocol"/>.</remarks>
    [ConfigurationKeyName("bundles")]
    public bool UseBundles { get; set; } = true;

    /// <summary>
    /// Whether every data message ends with three metadata arguments <c>iii</c> (default true): the message's
    /// <c>sequence_number</c> (per data type, its low 32 bits), then <c>stream_time</c> as whole seconds and
    /// nanoseconds, so a receiver can tell a lost message (a gap) from a rate-limited one (no number is used) and
    /// order messages within and across types. False sends the data arguments alone (the layout before these
    /// arguments existed), for receivers that take "the rest of the message" as one list. See <c>docs/mqtt-osc.md</c>.
    /// </summary>
    [ConfigurationKeyName("metadata_arguments")]
    public bool MetadataArguments { get; set; } = true;

    /// <summary>
    /// Number of log-spaced points the FFT spectrum and spectrogram are reduced to, 1 to 1,024 (default 32); 0 sends the
    /// whole <c>magnitudes_db</c> array as a blob of big-endian float32.
    /// </summary>
    [ConfigurationKeyName("spectrum_points")]
    public int SpectrumPoints { get; set; } = 32;

    /// <summary>
    /// Largest UDP packet, 64 to 65,507 bytes (default 8,192); a larger packet is split into
    /// <c>&lt;prefix&gt;/fragment</c> messages (<see cref="SplitOversize"/>), or with splitting off counted as oversize
    /// and not sent.
    /// </summary>
    [ConfigurationKeyName("max_packet_bytes")]
    public int MaxPacketBytes { get; set; } = 8192;

    /// <summary>
    /// Whether a UDP packet larger than <see cref="MaxPacketBytes"/> is sent as <c>&lt;prefix&gt;/fragment ,iiiib</c>
    /// messages (message id, fragment index, fragment count, total bytes, blob: the next piece of the packet) that a
    /// receiver concatenates back into the packet (default true; <c>docs/mqtt-osc.md</c>). When false such packets are
    /// counted as oversize and not sent.
    /// </summary>
    [ConfigurationKeyName("split_oversize")]
    public bool SplitOversize { get; set; } = true;

    /// <summary>Capacity of each target's queue in packets, 1 to 100,000 (default 256); when full the oldest packet is dropped and counted.</summary>
    [ConfigurationKeyName("queue_capacity")]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Delay before reconnecting a TCP target after a failure, 10 ms to 10 minutes (default 1 s), doubled per failure up to 30 s.</summary>
    [ConfigurationKeyName("reconnect_delay")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        if (string.IsNullOrEmpty(AddressPrefix) || !AddressPrefix.StartsWith('/') || AddressPrefix.EndsWith('/') ||
            AddressPrefix.AsSpan().IndexOfAny(ForbiddenInAddress) >= 0)
        {
            throw new ArgumentException(
                $"AddressPrefix is '{AddressPrefix}'; it must start with '/', not end with '/', and contain none of ' #*,?[]{{}}'.",
                nameof(AddressPrefix));
        }

        if (!Enum.IsDefined(Transport))
        {
            throw new ArgumentOutOfRangeException(nameof(Transport), Transport, $"Transport is {(int)Transport}; it must be Udp or TcpSlip.");
        }

        Range(nameof(SpectrumPoints), SpectrumPoints, 0, 1024);
        Range(nameof(MaxPacketBytes), MaxPacketBytes, 64, 65_507);
        Range(nameof(QueueCapacity), QueueCapacity, 1, 100_000);
        Range(nameof(ReconnectDelay), ReconnectDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
    }
}
