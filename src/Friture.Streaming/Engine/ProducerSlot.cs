using Friture.Streaming.Audio;
using Friture.Streaming.Buffering;
using Friture.Streaming.Producers;
using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Engine;

/// <summary>Engine bookkeeping of one registered producer, touched only by the capture thread once registered.</summary>
internal sealed class ProducerSlot
{
    public ProducerSlot(DataProducer producer, DataType dataType, TypeState typeState, TokenBucket bucket)
    {
        Producer = producer;
        DataType = dataType;
        TypeState = typeState;
        Bucket = bucket;
    }

    public DataProducer Producer { get; }

    public DataType DataType { get; }

    public TypeState TypeState { get; }

    public TokenBucket Bucket { get; }

    public long NextSequence;

    public bool Active;

    public AudioFormat Format;

    public long Errors;
}
