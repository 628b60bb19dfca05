using System.Collections.Immutable;

namespace Friture.Streaming;

/// <summary>Metadata carried by every <see cref="StreamingData"/> message.</summary>
/// <remarks>Serialized as the <c>metadata</c> object of the JSON envelope, with snake_case names (see <c>docs/wire-format.md</c>).</remarks>
public sealed record StreamingMetadata
{
    /// <summary>The kind of data (<c>data_type</c>).</summary>
    public required DataType DataType { get; init; }

    /// <summary>Wall-clock time (UTC) at which the message was published (<c>timestamp</c>).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// Time on the audio clock in seconds (<c>stream_time</c>): the index of the last sample the result depends on,
    /// plus one, divided by the sample rate. It is sample-accurate and never jumps with the wall clock.
    /// </summary>
    public double StreamTime { get; init; }

    /// <summary>Input sample rate in Hz (<c>sample_rate</c>); 0 for messages not derived from audio.</summary>
    public int SampleRate { get; init; }

    /// <summary>Number of input channels (<c>channels</c>).</summary>
    public int Channels { get; init; }

    /// <summary>
    /// Sequence number per data type and producer (<c>sequence_number</c>), starting at 0 and gap-free as published,
    /// so a consumer that sees a gap knows that messages were dropped on the way to it.
    /// </summary>
    public long SequenceNumber { get; init; }

    /// <summary>Identifier of the producer (<c>producer_id</c>; Friture's widget id).</summary>
    public string ProducerId { get; init; } = string.Empty;

    /// <summary>Application-defined metadata (<c>custom</c>), or <see langword="null"/>.</summary>
    public ImmutableDictionary<string, string>? Custom { get; init; }
}
