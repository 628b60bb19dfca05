namespace Friture.Streaming.Mqtt;

/// <summary>MQTT quality of service of the published stream messages (the <c>qos</c> option).</summary>
public enum MqttQualityOfService
{
    /// <summary>QoS 0: fire and forget; the cheapest, the usual choice for real-time analysis data.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: the broker acknowledges every message; duplicates are possible after a reconnection.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: a four-way handshake per message; no loss and no duplicate between client and broker.</summary>
    ExactlyOnce = 2,
}
