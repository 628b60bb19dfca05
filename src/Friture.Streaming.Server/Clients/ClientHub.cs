using System.Collections.Concurrent;
using System.Collections.Immutable;
using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Server.Clients;

/// <summary>The clients of one protocol: connection slots, fan-out of encoded messages, counters and orderly close.</summary>
internal sealed class ClientHub
{
    private readonly ConcurrentDictionary<string, ClientSession> _sessions = new(StringComparer.Ordinal);
    private readonly string _prefix;
    private int _slots;
    private long _nextId;
    private long _accepted;
    private long _rejected;
    private long _oversize;
    private long _departedSent;
    private long _departedDropped;

    public ClientHub(string prefix) => _prefix = prefix;

    public int Count => _sessions.Count;

    public bool IsEmpty => _sessions.IsEmpty;

    public ICollection<ClientSession> Sessions => _sessions.Values;

    public string NextClientId() => $"{_prefix}-{Interlocked.Increment(ref _nextId)}";

    public bool TryAcquireSlot(int maxConnections)
    {
        while (true)
        {
            var slots = Volatile.Read(ref _slots);
            if (slots >= maxConnections)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _slots, slots + 1, slots) == slots)
            {
                return true;
            }
        }
    }

    public void ReleaseSlot() => Interlocked.Decrement(ref _slots);

    public void CountRejected() => Interlocked.Increment(ref _rejected);

    public long CountOversize() => Interlocked.Increment(ref _oversize);

    public void Add(ClientSession session)
    {
        _sessions[session.ClientId] = session;
        Interlocked.Increment(ref _accepted);
    }

    public void Remove(ClientSession session)
    {
        if (_sessions.TryRemove(session.ClientId, out _))
        {
            Interlocked.Add(ref _departedSent, session.Sent);
            Interlocked.Add(ref _departedDropped, session.Dropped);
        }
    }

    /// <summary>
    /// Queues <paramref name="data"/> for every client that admits it, encoding it at most once. When
    /// <paramref name="encoded"/> is given it is used as is (the caller keeps its own reference).
    /// </summary>
    public void Broadcast(StreamingData data, SerializationFormat format, OutboundMessage? encoded = null)
    {
        if (_sessions.IsEmpty)
        {
            return;
        }

        var message = encoded;
        foreach (var pair in _sessions)
        {
            var session = pair.Value;
            if (!session.TryAdmit(data.DataType))
            {
                continue;
            }

            message ??= MessageEncoder.Encode(data, format);
            session.Enqueue(message);
        }

        if (encoded is null)
        {
            message?.Release();
        }
    }

    /// <summary>Queues a message for every client, whatever its subscription.</summary>
    public void SendToAll(OutboundMessage message)
    {
        foreach (var pair in _sessions)
        {
            pair.Value.Enqueue(message);
        }
    }

    /// <summary>Encodes an application text once and queues it for every client (nothing to do without clients).</summary>
    public void SendText(string text)
    {
        if (_sessions.IsEmpty)
        {
            return;
        }

        var encoded = MessageEncoder.EncodeText(text);
        SendToAll(encoded);
        encoded.Release();
    }

    /// <summary>Completes every queue so each transport closes politely; aborts those still open after the grace period.</summary>
    public async Task CloseAllAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var sessions = _sessions.Values.ToArray();
        if (sessions.Length == 0)
        {
            return;
        }

        foreach (var session in sessions)
        {
            session.Complete();
        }

        var all = Task.WhenAll(sessions.Select(static s => s.Closed));
        try
        {
            await all.WaitAsync(grace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            foreach (var session in sessions)
            {
                session.Abort();
            }

            try
            {
                await all.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>Adds the clients and the hub's counters to the snapshot the protocol base has filled.</summary>
    public ProtocolStatistics GetStatistics(ProtocolStatistics statistics)
    {
        var clients = ImmutableArray.CreateBuilder<ClientStatistics>(_sessions.Count);
        long sent = Interlocked.Read(ref _departedSent);
        long dropped = Interlocked.Read(ref _departedDropped);
        foreach (var pair in _sessions)
        {
            var client = pair.Value.GetStatistics();
            clients.Add(client);
            sent += client.Sent;
            dropped += client.Dropped;
        }

        return statistics with
        {
            ConnectedClients = clients.Count,
            AcceptedConnections = Interlocked.Read(ref _accepted),
            RejectedConnections = Interlocked.Read(ref _rejected),
            OversizeMessages = Interlocked.Read(ref _oversize),
            MessagesSent = sent,
            MessagesDropped = dropped,
            Clients = clients.DrainToImmutable(),
        };
    }
}
