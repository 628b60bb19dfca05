namespace Friture.Streaming.Consumers;

/// <summary>A consumer-owned queue that accepts messages straight from the publishing thread, without blocking.</summary>
internal interface IDirectMessageSink
{
    /// <summary>Offers a message; never blocks. Drops are counted by the sink.</summary>
    void Offer(StreamingData data);

    /// <summary>Discards whatever is queued (counted as <c>unregistered</c>).</summary>
    void Clear();
}
