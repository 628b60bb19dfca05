using System.Threading.Channels;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;

namespace Friture.Streaming.Engine;

/// <summary>FIFO subscription on a bounded <see cref="Channel{T}"/>; overflow by <see cref="BoundedChannelFullMode.DropOldest"/> or <see cref="BoundedChannelFullMode.DropWrite"/>.</summary>
internal sealed class ChannelSubscription : Subscription
{
    private readonly Channel<StreamingData> _channel;

    public ChannelSubscription(DataConsumer consumer, DataType dataType, BufferOptions options, TimeProvider timeProvider)
        : base(consumer, dataType, options, timeProvider)
    {
        var channelOptions = new BoundedChannelOptions(options.MaxSize)
        {
            // Readers: the delivery task, plus the publisher's expiry sweep and unregistration's clear.
            SingleReader = false,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
            FullMode = options.Overflow == OverflowStrategy.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.DropWrite,
        };

        // The dropped item is either the evicted oldest (DropOldest) or the refused new one (DropWrite).
        _channel = options.Overflow == OverflowStrategy.DropOldest
            ? Channel.CreateBounded<StreamingData>(channelOptions, OnEvicted)
            : Channel.CreateBounded<StreamingData>(channelOptions, OnRefused);
    }

    protected override void Enqueue(StreamingData data)
    {
        // Count first: with DropOldest the callback may remove an item counted earlier, never this one before it is counted.
        OnEnqueued(data);
        _channel.Writer.TryWrite(data);
    }

    protected override bool TryDequeue(out StreamingData data) => _channel.Reader.TryRead(out data!);

    protected override bool TryPeekOldest(out StreamingData data) => _channel.Reader.TryPeek(out data!);

    private void OnRefused(StreamingData data) => OnEvicted(data);
}
