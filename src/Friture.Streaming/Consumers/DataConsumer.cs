using Friture.Streaming.Buffering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Friture.Streaming.Consumers;

/// <summary>
/// Base of every consumer (<c>DataConsumer</c> in the original Friture streaming API): code that receives messages of the data types it is
/// registered for with <see cref="StreamingApi.RegisterConsumer"/>.
/// </summary>
/// <remarks>
/// <para>
/// Each consumer has its own bounded queue per registered data type and its own delivery task. The audio thread only
/// enqueues (never waits); <see cref="ConsumeAsync"/> runs on the delivery task, never concurrently with itself, so a
/// consumer needs no locking of its own. A consumer that is slow or stalls loses messages by its queue's
/// <see cref="OverflowStrategy"/> and costs bounded memory; it never delays the audio path or other consumers.
/// </para>
/// <para>One consumer instance may be registered for several data types; it then receives all of them, in turn.</para>
/// </remarks>
public abstract class DataConsumer : IAsyncDisposable
{
    private static long _nextId;

    /// <summary>Creates a consumer.</summary>
    /// <param name="consumerId">Identifier returned by <see cref="StreamingApi.RegisterConsumer"/>; defaults to the type name and a number.</param>
    protected DataConsumer(string? consumerId = null)
    {
        ConsumerId = string.IsNullOrWhiteSpace(consumerId)
            ? $"{GetType().Name}-{Interlocked.Increment(ref _nextId)}"
            : consumerId;
    }

    /// <summary>Raised when the consumer's code fails (<c>consumer.error_occurred(consumer_id, error)</c> in the original Friture streaming API).</summary>
    public event EventHandler<ConsumerErrorEventArgs>? ErrorOccurred;

    /// <summary>The consumer's id.</summary>
    public string ConsumerId { get; }

    /// <summary>
    /// Queue shape for this consumer, overriding the per-data-type configuration of
    /// <see cref="StreamingApi.BufferManager"/>; <see langword="null"/> (the default) uses that configuration.
    /// </summary>
    public BufferOptions? BufferOptions { get; init; }

    internal FlowCounters Counters { get; } = new();

    internal ILogger Logger { get; set; } = NullLogger.Instance;

    internal Action<DataConsumer, Exception, StreamingData?>? ErrorSink { get; set; }

    /// <summary>Set by the engine: the per-data-type counters, for consumers that count their own queue.</summary>
    internal Func<DataType, FlowCounters?>? TypeCounters { get; set; }

    /// <summary>Returns this consumer's counters.</summary>
    /// <returns>A snapshot.</returns>
    public ConsumerStatistics GetStatistics() => new()
    {
        ConsumerId = ConsumerId,
        Kind = GetType().Name,
        Received = Counters.Received,
        Delivered = Counters.Delivered,
        Dropped = Counters.DroppedByReason(),
        Errors = Counters.Errors,
        SlowDeliveries = Counters.SlowDeliveries,
        QueueDepth = Counters.QueueDepth,
        QueuedBytes = Counters.QueuedBytes,
        Failure = FailureReason,
    };

    /// <summary>Stops the consumer and releases what it holds. The API disposes consumers it was given only through <see cref="StreamingApi.DisposeAsync"/>.</summary>
    /// <returns>A task that completes when released.</returns>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Why the consumer stopped working (for example a file that can no longer be written), or null while it works.</summary>
    /// <remarks>Shown as <see cref="ConsumerStatistics.Failure"/>.</remarks>
    protected virtual string? FailureReason => null;

    /// <summary>
    /// Handles one message. Called on the consumer's own delivery task, never on the audio thread and never
    /// concurrently. An exception is caught, counted and reported; the consumer keeps receiving.
    /// </summary>
    /// <param name="data">The message (shared with other consumers; immutable).</param>
    /// <param name="cancellationToken">Signalled when the consumer is being unregistered or the API disposed.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    protected internal abstract ValueTask ConsumeAsync(StreamingData data, CancellationToken cancellationToken);

    /// <summary>
    /// Called after every queued message was delivered, when streaming stops, the consumer is unregistered or the API is
    /// disposed: make everything accepted durable here (flush files, for example).
    /// </summary>
    /// <param name="cancellationToken">Abandons the flush.</param>
    /// <returns>A task that completes when flushed.</returns>
    protected internal virtual ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// For consumers that are themselves a non-blocking queue: accept a message directly from the publishing thread,
    /// with no delivery task. Return <see langword="null"/> (the default) to be delivered through <see cref="ConsumeAsync"/>.
    /// </summary>
    internal virtual IDirectMessageSink? DirectSink => null;

    /// <summary>Counts an error, raises <see cref="ErrorOccurred"/> and forwards it to the API's <c>ErrorOccurred</c>.</summary>
    /// <param name="exception">The error.</param>
    /// <param name="data">The message being handled, if any.</param>
    protected void ReportError(Exception exception, StreamingData? data = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Counters.OnError();
        var handler = ErrorOccurred;
        if (handler is not null)
        {
            try
            {
                handler(this, new ConsumerErrorEventArgs(ConsumerId, exception, data));
            }
#pragma warning disable CA1031 // An error handler that throws must not stop delivery.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        ErrorSink?.Invoke(this, exception, data);
    }

    internal void ReportErrorInternal(Exception exception, StreamingData? data) => ReportError(exception, data);
}
