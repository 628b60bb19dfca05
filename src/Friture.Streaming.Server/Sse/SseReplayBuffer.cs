using System.Globalization;
using Friture.Streaming.Server.Clients;

namespace Friture.Streaming.Server.Sse;

/// <summary>
/// The last messages sent, for <c>Last-Event-ID</c> replay. Not thread-safe: the protocol holds its broadcast lock
/// around <see cref="Add"/> and <see cref="ReplayAfter"/> so that a reconnecting client sees no gap and no duplicate.
/// </summary>
internal sealed class SseReplayBuffer
{
    private readonly OutboundMessage?[] _ring;
    private int _next;
    private int _count;

    public SseReplayBuffer(int capacity) => _ring = new OutboundMessage?[capacity];

    public void Add(OutboundMessage message)
    {
        message.AddReference();
        _ring[_next]?.Release();
        _ring[_next] = message;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    /// <summary>Queues for <paramref name="session"/> every buffered message after the one with id <paramref name="lastEventId"/>.</summary>
    /// <returns>The number replayed, or -1 when that id is no longer (or never was) in the buffer.</returns>
    public int ReplayAfter(string lastEventId, ClientSession session)
    {
        var separator = lastEventId.LastIndexOf(':');
        if (separator <= 0 ||
            !long.TryParse(lastEventId.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return -1;
        }

        var typeName = lastEventId.AsSpan(0, separator);
        var oldest = (_next - _count + _ring.Length) % _ring.Length;
        var found = -1;
        for (var i = _count - 1; i >= 0; i--)
        {
            var message = _ring[(oldest + i) % _ring.Length]!;
            if (message.SequenceNumber == sequence && typeName.SequenceEqual(message.DataType!.Name))
            {
                found = i;
                break;
            }
        }

        if (found < 0)
        {
            return -1;
        }

        var replayed = 0;
        var subscription = session.Subscription;
        for (var i = found + 1; i < _count; i++)
        {
            var message = _ring[(oldest + i) % _ring.Length]!;
            if (subscription.Includes(message.DataType!))
            {
                session.Enqueue(message);
                replayed++;
            }
        }

        return replayed;
    }

    public void Clear()
    {
        for (var i = 0; i < _ring.Length; i++)
        {
            _ring[i]?.Release();
            _ring[i] = null;
        }

        _next = 0;
        _count = 0;
    }
}
