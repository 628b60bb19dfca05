namespace Friture.Streaming.Mqtt;

/// <summary>Counters of an <see cref="MqttProtocol"/>, returned by <see cref="MqttProtocol.GetMqttStatistics"/>.</summary>
/// <remarks>A snapshot; counts are since the protocol was created. Messages = stream messages plus <c>SendData</c> texts.</remarks>
public sealed record MqttStatistics
{
    /// <summary>Whether the client was connected to the broker when the snapshot was taken.</summary>
    public bool IsConnected { get; init; }

    /// <summary>Messages handed to <c>Broadcast</c> or <c>SendData</c>.</summary>
    public long Received { get; init; }

    /// <summary>Messages the broker accepted (QoS 0: written to the connection; QoS 1/2: acknowledged).</summary>
    public long Published { get; init; }

    /// <summary>Payload bytes of <see cref="Published"/> messages (MQTT framing not included).</summary>
    public long BytesPublished { get; init; }

    /// <summary>Messages skipped by the per-type rates of <see cref="MqttProtocolOptions.RatesHz"/>.</summary>
    public long Skipped { get; init; }

    /// <summary>Messages dropped (oldest first) because the outgoing queue was full, typically while the broker was unreachable.</summary>
    public long Dropped { get; init; }

    /// <summary>Messages lost because the connection broke while they were being published.</summary>
    public long Failed { get; init; }

    /// <summary>
    /// Messages still queued when a stop ended: not published within <see cref="MqttProtocolOptions.DrainTimeout"/>, or
    /// at once when the broker was not connected.
    /// </summary>
    public long Abandoned { get; init; }

    /// <summary>Messages not published: <see cref="Dropped"/> + <see cref="Failed"/> + <see cref="Abandoned"/>.</summary>
    public long Unpublished { get; init; }

    /// <summary>Successful connections to the broker (the first one plus every reconnection).</summary>
    public long Connections { get; init; }

    /// <summary>Failed connection attempts.</summary>
    public long ConnectFailures { get; init; }

    /// <summary>Messages waiting in the outgoing queue now.</summary>
    public int QueueLength { get; init; }

    /// <summary>Capacity of the outgoing queue in messages.</summary>
    public int QueueCapacity { get; init; }
}
