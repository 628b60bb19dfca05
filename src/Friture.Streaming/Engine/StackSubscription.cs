using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;

namespace Friture.Streaming.Engine;

/// <summary>LIFO subscription: a bounded ring that delivers the newest message first.</summary>
/// <remarks>
/// A channel cannot hand out its newest item, so LIFO queues are a fixed ring guarded by a short lock; the lock is
/// held only to move a reference, never while consumer code runs.
/// </remarks>
internal sealed class StackSubscription : Subscription
{
    private readonly Lock _lock = new();
    private readonly StreamingData?[] _ring;
    private int _bottom;
    private int _count;

    public StackSubscription(DataConsumer consumer, DataType dataType, BufferOptions options, TimeProvider timeProvider)
        : base(consumer, dataType, options, timeProvider)
    {
        _ring = new StreamingData?[options.MaxSize];
    }

    protected override void Enqueue(StreamingData data)
    {
        StreamingData? evicted = null;
        var refused = false;
        lock (_lock)
        {
            if (_count == _ring.Length)
            {
                if (Options.Overflow == OverflowStrategy.DropNewest)
                {
                    refused = true;
                }
                else
                {
                    evicted = _ring[_bottom];
                    _ring[_bottom] = null;
                    _bottom = (_bottom + 1) % _ring.Length;
                    _count--;
                }
            }

            if (!refused)
            {
                _ring[(_bottom + _count) % _ring.Length] = data;
                _count++;
            }
        }

        if (refused)
        {
            OnRejected();
            return;
        }

        OnEnqueued(data);
        if (evicted is not null)
        {
            OnEvicted(evicted);
        }
    }

    protected override bool TryPeekOldest(out StreamingData data)
    {
        lock (_lock)
        {
            data = _count == 0 ? null! : _ring[_bottom]!;
            return _count > 0;
        }
    }

    protected override bool TryDequeueBottom(out StreamingData data)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                data = null!;
                return false;
            }

            data = _ring[_bottom]!;
            _ring[_bottom] = null;
            _bottom = (_bottom + 1) % _ring.Length;
            _count--;
            return true;
        }
    }

    protected override bool TryDequeue(out StreamingData data)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                data = null!;
                return false;
            }

            var top = (_bottom + _count - 1) % _ring.Length;
            data = _ring[top]!;
            _ring[top] = null;
            _count--;
            return true;
        }
    }
}
