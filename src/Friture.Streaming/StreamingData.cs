using Friture.Streaming.Data;

namespace Friture.Streaming;

/// <summary>One message of the stream: a typed payload plus its metadata.</summary>
/// <remarks>
/// One instance is shared, not copied, by every consumer that receives the message; it is immutable.
/// Pattern-match on <see cref="Data"/> to reach the typed payload, for example <c>if (data.Data is PitchData pitch)</c>.
/// </remarks>
public sealed class StreamingData
{
    private long _estimatedSize = -1;
    private object? _reductions;

    /// <summary>Creates a message.</summary>
    /// <param name="metadata">The metadata.</param>
    /// <param name="data">The payload; its runtime type must be the <see cref="DataType.PayloadType"/> of the metadata's data type.</param>
    /// <exception cref="ArgumentException">The payload's type does not match the data type.</exception>
    public StreamingData(StreamingMetadata metadata, StreamingPayload data)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(data);
        if (!metadata.DataType.PayloadType.IsInstanceOfType(data))
        {
            throw new ArgumentException(
                $"Payload {data.GetType().Name} does not match data type '{metadata.DataType.Name}', which carries {metadata.DataType.PayloadType.Name}.",
                nameof(data));
        }

        Metadata = metadata;
        Data = data;
    }

    /// <summary>The metadata.</summary>
    public StreamingMetadata Metadata { get; }

    /// <summary>The typed payload, for example <see cref="PitchData"/>.</summary>
    public StreamingPayload Data { get; }

    /// <summary>The data type (shortcut for <c>Metadata.DataType</c>).</summary>
    public DataType DataType => Metadata.DataType;

    /// <summary>Estimated managed memory held by this message, in bytes (computed once).</summary>
    public long EstimatedSizeBytes
    {
        get
        {
            var size = Volatile.Read(ref _estimatedSize);
            if (size < 0)
            {
                size = 160 + Data.EstimateSizeBytes();
                Volatile.Write(ref _estimatedSize, size);
            }

            return size;
        }
    }

    /// <summary>
    /// This message's reductions (<c>PayloadReducer</c>'s reduced messages per request), made on first use and kept as
    /// long as the message: a field instead of a <c>ConditionalWeakTable</c>, which costs a dependent GC handle per message.
    /// </summary>
    internal T Reductions<T>(Func<T> create)
        where T : class
    {
        if (Volatile.Read(ref _reductions) is T existing)
        {
            return existing;
        }

        // A factory, not new T(): in shared generic code that is Activator.CreateInstance, once per message.
        var made = create();
        return Interlocked.CompareExchange(ref _reductions, made, null) as T ?? made;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Metadata.DataType.Name} #{Metadata.SequenceNumber} @ {Metadata.StreamTime:F3} s: {Data}";
}
