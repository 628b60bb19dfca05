namespace Friture.Streaming.Consumers;

/// <summary>
/// Calls application code for every message (<c>CallbackConsumer(callback, max_callback_time_ms=10.0)</c> in the original Friture streaming API).
/// </summary>
/// <remarks>
/// The callback runs on the consumer's own delivery task, never on the audio thread and never concurrently with itself.
/// A call that takes longer than <see cref="MaxCallbackTime"/> is counted (<see cref="ConsumerStatistics.SlowDeliveries"/>)
/// and logged at debug level; an exception is caught, counted, raised on <see cref="DataConsumer.ErrorOccurred"/> and on
/// the API's <c>ErrorOccurred</c>, and the consumer keeps receiving.
/// </remarks>
public sealed class CallbackConsumer : DataConsumer
{
    private readonly Action<StreamingData>? _callback;
    private readonly Func<StreamingData, CancellationToken, ValueTask>? _asyncCallback;

    /// <summary>Creates a consumer that calls a synchronous callback.</summary>
    /// <param name="callback">Called once per message.</param>
    /// <param name="maxCallbackTimeMs">Time budget per call in milliseconds, above 0 and at most 60000 (default 10).</param>
    /// <param name="consumerId">Optional id.</param>
    public CallbackConsumer(Action<StreamingData> callback, double maxCallbackTimeMs = 10.0, string? consumerId = null)
        : base(consumerId)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _callback = callback;
        MaxCallbackTime = ValidateBudget(maxCallbackTimeMs);
    }

    /// <summary>Creates a consumer that awaits an asynchronous callback.</summary>
    /// <param name="callback">Called once per message; the next message waits until the returned task completes.</param>
    /// <param name="maxCallbackTimeMs">Time budget per call in milliseconds, above 0 and at most 60000 (default 10).</param>
    /// <param name="consumerId">Optional id.</param>
    public CallbackConsumer(Func<StreamingData, CancellationToken, ValueTask> callback, double maxCallbackTimeMs = 10.0, string? consumerId = null)
        : base(consumerId)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _asyncCallback = callback;
        MaxCallbackTime = ValidateBudget(maxCallbackTimeMs);
    }

    /// <summary>Time budget per call (<c>max_callback_time_ms</c> in the original Friture streaming API).</summary>
    public TimeSpan MaxCallbackTime { get; }

    /// <inheritdoc/>
    protected internal override ValueTask ConsumeAsync(StreamingData data, CancellationToken cancellationToken)
    {
        if (_callback is not null)
        {
            _callback(data);
            return ValueTask.CompletedTask;
        }

        return _asyncCallback!(data, cancellationToken);
    }

    private static TimeSpan ValidateBudget(double maxCallbackTimeMs)
    {
        if (!double.IsFinite(maxCallbackTimeMs) || maxCallbackTimeMs <= 0 || maxCallbackTimeMs > 60_000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxCallbackTimeMs), maxCallbackTimeMs,
                $"max_callback_time_ms is {maxCallbackTimeMs}; it must be above 0 and at most 60000 ms.");
        }

        return TimeSpan.FromMilliseconds(maxCallbackTimeMs);
    }
}
