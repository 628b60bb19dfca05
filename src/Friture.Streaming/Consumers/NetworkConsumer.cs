using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Consumers;

/// <summary>
/// Forwards every message it receives to a network protocol (as
/// <c>NetworkConsumer(protocol, serialization_format='json')</c> in the original Friture streaming API).
/// </summary>
/// <remarks>
/// Runs on its own delivery task, so serialization never happens on the audio thread. The protocol then queues the
/// encoded message per client; a slow client loses messages by its own policy without slowing this consumer.
/// </remarks>
public sealed class NetworkConsumer : DataConsumer
{
    /// <summary>Creates the consumer.</summary>
    /// <param name="protocol">The protocol that sends the messages.</param>
    /// <param name="serializationFormat">The encoding (default JSON).</param>
    /// <param name="consumerId">Optional id.</param>
    public NetworkConsumer(StreamingProtocol protocol, SerializationFormat serializationFormat = SerializationFormat.Json, string? consumerId = null)
        : base(consumerId)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (!Enum.IsDefined(serializationFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(serializationFormat), serializationFormat,
                $"serialization_format is {serializationFormat}; it must be json or binary.");
        }

        Protocol = protocol;
        SerializationFormat = serializationFormat;
    }

    /// <summary>The protocol that sends the messages.</summary>
    public StreamingProtocol Protocol { get; }

    /// <summary>The encoding.</summary>
    public SerializationFormat SerializationFormat { get; }

    /// <inheritdoc/>
    protected internal override ValueTask ConsumeAsync(StreamingData data, CancellationToken cancellationToken)
    {
        Protocol.Broadcast(data, SerializationFormat);
        return ValueTask.CompletedTask;
    }
}
