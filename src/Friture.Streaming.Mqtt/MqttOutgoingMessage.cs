namespace Friture.Streaming.Mqtt;

/// <summary>One encoded message waiting in the outgoing queue.</summary>
/// <param name="Topic">The full topic.</param>
/// <param name="Payload">The encoded payload (JSON or binary frame).</param>
internal readonly record struct MqttOutgoingMessage(string Topic, byte[] Payload);
