using System.Collections.Immutable;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;

namespace Friture.Streaming.Producers;

/// <summary>
/// Base of every producer: something that turns audio (or anything else) into payloads of one <see cref="DataType"/>.
/// </summary>
/// <remarks>
/// <para>
/// Producers are lazy. The engine calls <see cref="Initialize"/>, <see cref="ProcessBlock"/> and
/// <see cref="ExtractData"/> only while at least one consumer is registered for the producer's data type; with none,
/// the producer does no work at all.
/// </para>
/// <para>
/// For each captured block the engine calls <see cref="ProcessBlock"/> (cheap, incremental analysis, no allocation).
/// When it returns <see langword="true"/> and the rate limiter has a token for this producer, the engine calls
/// <see cref="ExtractData"/> to build the payload; when the limiter has no token, the payload is never built. So at
/// most one message per producer and block is published.
/// </para>
/// <para>All three methods run on the capture thread, one at a time; a producer needs no locking of its own.</para>
/// </remarks>
public abstract class DataProducer
{
    private static long _nextId;

    /// <summary>Creates a producer.</summary>
    /// <param name="producerId">Identifier that appears as <c>producer_id</c> in metadata; defaults to the type name and a number.</param>
    protected DataProducer(string? producerId = null)
    {
        ProducerId = string.IsNullOrWhiteSpace(producerId)
            ? $"{GetType().Name}-{Interlocked.Increment(ref _nextId)}"
            : producerId;
    }

    /// <summary>Identifier of this producer (<c>producer_id</c> in metadata; Friture's widget id).</summary>
    public string ProducerId { get; }

    /// <summary>The data type this producer emits (<c>get_data_type()</c> in the original Friture streaming API).</summary>
    /// <returns>The data type; it must not change over the producer's life.</returns>
    public abstract DataType GetDataType();

    /// <summary>
    /// Builds the payload for the most recent result (<c>extract_data()</c> in the original Friture streaming API), or returns
    /// <see langword="null"/> when there is nothing to publish.
    /// </summary>
    /// <returns>The payload, of the data type's payload type.</returns>
    public abstract StreamingPayload? ExtractData();

    /// <summary>
    /// Prepares for audio of the given format: allocate every buffer here. Called before the first block after the
    /// producer becomes active (a first consumer registered, or streaming started) and whenever the format changes.
    /// </summary>
    /// <param name="format">The format of the blocks that will follow.</param>
    protected internal virtual void Initialize(AudioFormat format)
    {
    }

    /// <summary>
    /// Called by <see cref="StreamingApi.RegisterProducer(DataProducer)"/> before the producer is added, under the
    /// registration lock: built-in analyzers take shared resources from the engine here (one FFT per frame between the
    /// spectrum analyzers that use the same frames).
    /// </summary>
    /// <param name="context">The engine the producer joins.</param>
    internal virtual void OnRegistering(IProducerContext context)
    {
    }

    /// <summary>
    /// Feeds one captured block. Runs on the capture thread: it must not block and should not allocate.
    /// </summary>
    /// <param name="block">The block.</param>
    /// <returns><see langword="true"/> when a new result is ready for <see cref="ExtractData"/>. The default returns <see langword="true"/> for every block, which suits producers that poll another source.</returns>
    protected internal virtual bool ProcessBlock(in AudioBlock block) => true;

    /// <summary>
    /// The audio-clock time, in seconds, of the result <see cref="ExtractData"/> just built, or <see langword="null"/>
    /// to use the end of the current block. Analyzers whose frames end inside a block override this.
    /// </summary>
    protected internal virtual double? ResultStreamTime => null;

    /// <summary>Application metadata to attach to each message (<c>custom</c>), or <see langword="null"/>.</summary>
    /// <returns>The custom metadata.</returns>
    protected internal virtual ImmutableDictionary<string, string>? GetCustomMetadata() => null;

    /// <summary>Called when the producer goes idle (its last consumer left, or streaming stopped); drop analysis state here.</summary>
    protected internal virtual void Reset()
    {
    }
}
