using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;

namespace Friture.Streaming.Engine;

/// <summary>A subscription whose queue is the consumer itself (<see cref="QueueConsumer"/>); the consumer counts its own flow.</summary>
internal sealed class DirectSubscription : Subscription
{
    private readonly IDirectMessageSink _sink;

    public DirectSubscription(DataConsumer consumer, IDirectMessageSink sink, DataType dataType, TimeProvider timeProvider)
        : base(consumer, dataType, BufferOptions.Default, timeProvider)
    {
        _sink = sink;
    }

    protected override void Enqueue(StreamingData data) => _sink.Offer(data);

    protected override bool TryDequeue(out StreamingData data)
    {
        data = null!;
        return false;
    }
}
