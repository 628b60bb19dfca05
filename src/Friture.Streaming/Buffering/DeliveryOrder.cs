using System.Text.Json.Serialization;

namespace Friture.Streaming.Buffering;

/// <summary>Order in which a consumer's queued messages are delivered (<c>strategy='fifo'|'lifo'</c> in the original Friture streaming API).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryOrder>))]
public enum DeliveryOrder
{
    /// <summary>Oldest first (<c>fifo</c>, the default).</summary>
    [JsonStringEnumMemberName("fifo")]
    Fifo = 0,

    /// <summary>Newest first (<c>lifo</c>): a consumer that fell behind handles the latest data before the backlog.</summary>
    [JsonStringEnumMemberName("lifo")]
    Lifo = 1,
}
