using System.Text.Json.Serialization;

namespace Friture.Streaming.Buffering;

/// <summary>What a full consumer queue does with a new message (<c>overflow_strategy</c> in the original Friture streaming API).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OverflowStrategy>))]
public enum OverflowStrategy
{
    /// <summary>Discard the oldest queued message to make room (<c>drop_oldest</c>, the default): consumers see the freshest data.</summary>
    [JsonStringEnumMemberName("drop_oldest")]
    DropOldest = 0,

    /// <summary>Discard the arriving message (<c>drop_newest</c>): consumers see an unbroken run of older data.</summary>
    [JsonStringEnumMemberName("drop_newest")]
    DropNewest = 1,
}
