using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Friture.Streaming.Buffering;

/// <summary>
/// Configures and reports the consumer queues (<c>api._buffer_manager</c> in the original Friture streaming API, public here as
/// <see cref="StreamingApi.BufferManager"/>).
/// </summary>
/// <remarks>
/// Every registration of a consumer for a data type gets its own bounded queue, shaped by the options of that data type
/// (or the consumer's own <see cref="Consumers.DataConsumer.BufferOptions"/>). A configuration change applies to
/// registrations made after it. Thread-safe.
/// </remarks>
public sealed class BufferManager
{
    private readonly ConcurrentDictionary<DataType, BufferOptions> _options = new();
    private readonly Func<IEnumerable<(DataType DataType, FlowTotals Totals)>> _queues;

    internal BufferManager(Func<IEnumerable<(DataType DataType, FlowTotals Totals)>> queues) => _queues = queues;

    /// <summary>Sets the queue shape for a data type (<c>configure_buffer</c> in the original Friture streaming API).</summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void ConfigureBuffer(DataType dataType, BufferOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(options);
        _options[dataType] = options.Validate($"buffers.{dataType.Name}");
    }

    /// <summary>Sets the queue shape for a data type (<c>configure_buffer(data_type, max_size, strategy, ttl_seconds)</c> in the original Friture streaming API).</summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="maxSize">Capacity per consumer, 1 to 1,000,000.</param>
    /// <param name="order">Delivery order (<c>strategy='fifo'|'lifo'</c> in the original Friture streaming API).</param>
    /// <param name="overflow">What a full queue drops.</param>
    /// <param name="ttl">Time to live of a queued message, or null for none.</param>
    public void ConfigureBuffer(DataType dataType, int maxSize, DeliveryOrder order = DeliveryOrder.Fifo, OverflowStrategy overflow = OverflowStrategy.DropOldest, TimeSpan? ttl = null) =>
        ConfigureBuffer(dataType, new BufferOptions { MaxSize = maxSize, Order = order, Overflow = overflow, Ttl = ttl });

    /// <summary>The queue shape used for new registrations of a data type.</summary>
    /// <param name="dataType">The data type.</param>
    /// <returns>The options (the defaults when never configured).</returns>
    public BufferOptions GetBufferOptions(DataType dataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        return _options.TryGetValue(dataType, out var options) ? options : BufferOptions.Default;
    }

    /// <summary>The data types configured explicitly.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<DataType, BufferOptions> GetConfiguredBuffers() => new Dictionary<DataType, BufferOptions>(_options);

    /// <summary>Returns queue use per data type.</summary>
    /// <returns>A snapshot.</returns>
    public BufferStatistics GetStatistics()
    {
        var perType = ImmutableDictionary.CreateBuilder<string, BufferTypeStatistics>(StringComparer.Ordinal);
        long queued = 0, bytes = 0;
        foreach (var (dataType, counters) in _queues())
        {
            var options = GetBufferOptions(dataType);
            queued += counters.QueueDepth;
            bytes += counters.QueuedBytes;
            perType[dataType.Name] = new BufferTypeStatistics
            {
                MaxSize = options.MaxSize,
                Overflow = options.Overflow,
                Order = options.Order,
                TtlSeconds = options.Ttl?.TotalSeconds,
                QueueDepth = counters.QueueDepth,
                QueuedBytes = counters.QueuedBytes,
                Dropped = counters.DroppedByReason(),
            };
        }

        return new BufferStatistics { TotalQueued = queued, TotalQueuedBytes = bytes, DataTypes = perType.ToImmutable() };
    }
}
