using System.Text.Json.Serialization;

namespace Friture.Streaming.Buffering;

/// <summary>Why a message did not reach a consumer. Every drop is counted with its reason.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DropReason>))]
public enum DropReason
{
    /// <summary>The consumer's queue was full (<c>overflow</c>); which message went depends on the <see cref="OverflowStrategy"/>.</summary>
    [JsonStringEnumMemberName("overflow")]
    Overflow = 0,

    /// <summary>The message waited longer than the queue's time to live (<c>expired</c>).</summary>
    [JsonStringEnumMemberName("expired")]
    Expired = 1,

    /// <summary>The consumer was unregistered or disposed with the message still queued (<c>unregistered</c>).</summary>
    [JsonStringEnumMemberName("unregistered")]
    Unregistered = 2,
}
