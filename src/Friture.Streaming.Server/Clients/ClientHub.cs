using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Friture.Streaming.Protocols;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Server.Clients;

/// <summary>The clients of one protocol: connection slots, fan-out of encoded messages, counters and orderly close.</summary>
internal sealed class ClientHub
{
    [ThreadStatic]
    private static List<Encoding>? t_encodings;

    /// <summary>How often the hub looks for held messages whose blocks stopped coming (<see cref="ProtocolOptions.Linger"/>).</summary>
    /// <remarks>
    /// While blocks come, the next block sends what is held and this timer finds nothing to do; each firing still wakes
    /// the timer thread and a thread-pool worker (which often wakes a second one). At 200 ms that cost one WebSocket
    /// client about 1.1 ms of CPU per second of audio (perf at steady state: the timer and pool threads took 224 samples
    /// of 250 us in 40 s with the timer, 46 without it, 39 with no client), about a sixth of the client's whole cost. A
    /// second bounds how late the last held messages of a stream that stopped or stalled arrive.
    /// </remarks>
    internal static readonly TimeSpan LingerBackstopPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, ClientSession> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _backstopLock = new();
    private ITimer? _backstop;
    private readonly string _prefix;
    private readonly Lock _slotLock = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private int _slots;
    private long _evicted;
    private long _nextId;
    private long _accepted;
    private long _rejected;
    private long _oversize;
    private long _departedSent;
    private long _departedDropped;
    private long _departedWithDrops;

    public ClientHub(string prefix) => _prefix = prefix;

    /// <summary>Told once per data message that cannot be encoded (its clients stay connected and go without it).</summary>
    public Action<OutboundMessage, Exception>? EncodingFailed { get; set; }

    public int Count => _sessions.Count;

    /// <summary>The error reported when a data message cannot be encoded: what, why, and what was done.</summary>
    public static string DescribeEncodingFailure(string protocol, OutboundMessage message, Exception exception) =>
        $"The {protocol} protocol could not encode {message.DataType?.Name ?? "a"} message #{message.SequenceNumber} " +
        $"({exception.Message}); it was left out and its clients stay connected. A payload must be serializable " +
        "(JSON has no NaN or infinity: send null or a finite floor instead).";

    public bool IsEmpty => _sessions.IsEmpty;

    public ICollection<ClientSession> Sessions => _sessions.Values;

    public string NextClientId() => $"{_prefix}-{Interlocked.Increment(ref _nextId)}";

    /// <summary>
    /// Takes a connection slot for a client from <paramref name="address"/>, within the total and per-address limits. When
    /// they are reached, the client stalled longest (no data accepted for at least the stalled timeout) among those
    /// competing for the same limit is evicted to make room.
    /// </summary>
    /// <returns><see langword="null"/> when a slot is held (release it with <see cref="ReleaseSlot"/>), else why not.</returns>
    public async Task<string?> AcquireSlotAsync(IPAddress? address, ProtocolOptions options, string protocolName)
    {
        for (var attempt = 0; ; attempt++)
        {
            bool addressFull;
            lock (_slotLock)
            {
                var fromAddress = address is null ? 0 : _perAddress.GetValueOrDefault(address);
                addressFull = address is not null && fromAddress >= options.MaxConnectionsPerAddress;
                if (_slots < options.MaxConnections && !addressFull)
                {
                    _slots++;
                    if (address is not null)
                    {
                        _perAddress[address] = fromAddress + 1;
                    }

                    return null;
                }
            }

            var reason = addressFull
                ? $"The {protocolName} protocol already has its maximum of {options.MaxConnectionsPerAddress} clients from {address} (MaxConnectionsPerAddress)."
                : $"The {protocolName} protocol already has its maximum of {options.MaxConnections} clients (MaxConnections).";
            var victim = attempt < 3 ? LongestStalled(addressFull ? address : null, options) : null;
            if (victim is null)
            {
                return reason;
            }

            Interlocked.Increment(ref _evicted);
            victim.Evict();
            try
            {
                await victim.Closed.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return reason;
            }
        }
    }

    public void ReleaseSlot(IPAddress? address)
    {
        lock (_slotLock)
        {
            _slots--;
            if (address is not null && _perAddress.TryGetValue(address, out var count))
            {
                if (count <= 1)
                {
                    _perAddress.Remove(address);
                }
                else
                {
                    _perAddress[address] = count - 1;
                }
            }
        }
    }

    private ClientSession? LongestStalled(IPAddress? address, ProtocolOptions options)
    {
        var now = options.TimeProvider.GetTimestamp();
        ClientSession? victim = null;
        var longest = options.StalledClientTimeout;
        foreach (var pair in _sessions)
        {
            var session = pair.Value;
            if (address is not null && !address.Equals(session.Address))
            {
                continue;
            }

            var stalled = session.StalledFor(now);
            if (stalled >= longest)
            {
                longest = stalled;
                victim = session;
            }
        }

        return victim;
    }

    public void CountRejected() => Interlocked.Increment(ref _rejected);

    public long CountOversize() => Interlocked.Increment(ref _oversize);

    public void Add(ClientSession session)
    {
        _sessions[session.ClientId] = session;
        Interlocked.Increment(ref _accepted);
        lock (_backstopLock)
        {
            // One timer per hub while it has clients (one wake-up a second), not one per client.
            _backstop ??= session.TimeProvider.CreateTimer(
                static state => ((ClientHub)state!).FlushHeld(), this, LingerBackstopPeriod, LingerBackstopPeriod);
        }
    }

    public void Remove(ClientSession session)
    {
        if (_sessions.TryRemove(session.ClientId, out _))
        {
            Interlocked.Add(ref _departedSent, session.Sent);
            var dropped = session.Dropped;
            Interlocked.Add(ref _departedDropped, dropped);
            if (dropped > 0)
            {
                Interlocked.Increment(ref _departedWithDrops);
            }
        }

        lock (_backstopLock)
        {
            if (_sessions.IsEmpty && _backstop is not null)
            {
                _backstop.Dispose();
                _backstop = null;
            }
        }
    }

    /// <summary>Wakes the clients whose held messages have waited their linger (the blocks that would have sent them stopped).</summary>
    /// <returns>The number of clients woken.</returns>
    internal int FlushHeld()
    {
        var woken = 0;
        foreach (var pair in _sessions)
        {
            var session = pair.Value;
            if (session.IsHolding && session.FlushIfDue(session.TimeProvider.GetTimestamp()))
            {
                woken++;
            }
        }

        return woken;
    }

    /// <summary>
    /// Queues <paramref name="data"/> for every client that admits it, reduced to the client's resolution and encoded
    /// in its format: once per distinct (format, resolution) pair, whatever the number of clients. When
    /// <paramref name="encoded"/> is given it is used as is for the clients whose pair is (<paramref name="format"/>,
    /// <paramref name="encodedResolution"/>) (the caller keeps its own reference).
    /// </summary>
    /// <param name="data">The message as produced.</param>
    /// <param name="format">The protocol's format, for clients that did not choose one.</param>
    /// <param name="encoded">An encoding the caller already made, or <see langword="null"/>.</param>
    /// <param name="encodedResolution">The resolution <paramref name="encoded"/> was made at.</param>
    /// <param name="maxBytes">Encodings longer than this are not sent (a datagram limit).</param>
    /// <param name="onOversize">Told the data type and length of each encoding over <paramref name="maxBytes"/>.</param>
    /// <param name="forceFormat">Ignore the clients' own format choice (a text-only transport).</param>
    public void Broadcast(
        StreamingData data,
        SerializationFormat format,
        OutboundMessage? encoded = null,
        ResolutionRequest? encodedResolution = null,
        int maxBytes = int.MaxValue,
        Action<string, int>? onOversize = null,
        bool forceFormat = false)
    {
        if (_sessions.IsEmpty)
        {
            return;
        }

        var encodings = t_encodings ??= new List<Encoding>(4);
        encodings.Clear();
        try
        {
            foreach (var pair in _sessions)
            {
                var session = pair.Value;
                if (!session.TryAdmit(data.DataType))
                {
                    continue;
                }

                var subscription = session.Subscription;
                var clientFormat = forceFormat ? format : subscription.Format ?? format;
                var resolution = session.Resolution;
                OutboundMessage? message = null;
                var found = false;
                foreach (var encoding in encodings)
                {
                    if (encoding.Format == clientFormat && (ReferenceEquals(encoding.Resolution, resolution) || encoding.Resolution.Equals(resolution)))
                    {
                        message = encoding.Message;
                        found = true;
                        break;
                    }
                }

                if (!found)
                {
                    if (encoded is not null && clientFormat == format && resolution.Equals(encodedResolution ?? ResolutionRequest.Full))
                    {
                        encoded.AddReference();
                        message = encoded;
                    }
                    else if (maxBytes == int.MaxValue)
                    {
                        // Encoded by the first send loop that writes it (see OutboundMessage).
                        message = OutboundMessage.ForData(data, resolution, clientFormat == SerializationFormat.Binary, EncodingFailed);
                    }
                    else
                    {
                        message = MessageEncoder.Encode(PayloadReducer.Reduce(data, resolution), clientFormat);
                    }

                    if (maxBytes != int.MaxValue && message.Length > maxBytes)
                    {
                        onOversize?.Invoke(data.DataType.Name, message.Length);
                        message.Release();
                        message = null;
                    }

                    encodings.Add(new Encoding(clientFormat, resolution, message));
                }

                if (message is not null)
                {
                    session.Enqueue(message);
                }
            }
        }
        finally
        {
            foreach (var encoding in encodings)
            {
                encoding.Message?.Release();
            }

            encodings.Clear();
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

    /// <summary>
    /// Completes every queue (after <paramref name="farewell"/>, when given) so each transport writes what is queued and
    /// closes politely; aborts those still open after the grace period.
    /// </summary>
    public async Task CloseAllAsync(TimeSpan grace, CancellationToken cancellationToken, OutboundMessage? farewell = null)
    {
        var sessions = _sessions.Values.ToArray();
        if (sessions.Length == 0)
        {
            return;
        }

        foreach (var session in sessions)
        {
            if (farewell is not null)
            {
                session.Enqueue(farewell);
            }

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
        long withDrops = Interlocked.Read(ref _departedWithDrops);
        foreach (var pair in _sessions)
        {
            var client = pair.Value.GetStatistics();
            clients.Add(client);
            sent += client.Sent;
            dropped += client.Dropped;
            withDrops += client.Dropped > 0 ? 1 : 0;
        }

        return statistics with
        {
            ConnectedClients = clients.Count,
            AcceptedConnections = Interlocked.Read(ref _accepted),
            RejectedConnections = Interlocked.Read(ref _rejected),
            EvictedConnections = Interlocked.Read(ref _evicted),
            OversizeMessages = Interlocked.Read(ref _oversize),
            MessagesSent = sent,
            MessagesDropped = dropped,
            ClientsWithDrops = withDrops,
            Clients = clients.DrainToImmutable(),
        };
    }

    private readonly record struct Encoding(SerializationFormat Format, ResolutionRequest Resolution, OutboundMessage? Message);
}
