namespace Friture.Streaming.Buffering;

/// <summary>
/// Shape of a consumer's queue for one data type (<c>configure_buffer(data_type, max_size, strategy,
/// ttl_seconds)</c> in the original Friture streaming API).
/// </summary>
/// <remarks>Validated when applied; an invalid value throws an exception that names the option, the value and the allowed range.</remarks>
public sealed record BufferOptions
{
    /// <summary>Largest accepted <see cref="MaxSize"/>.</summary>
    public const int MaxAllowedSize = 1_000_000;

    /// <summary>The defaults: 1000 messages, drop oldest, FIFO, no time to live.</summary>
    public static BufferOptions Default { get; } = new();

    /// <summary>Most messages held per consumer and data type, 1 to 1,000,000. Default 1000 (the original API's queue size).</summary>
    public int MaxSize { get; init; } = 1000;

    /// <summary>What happens when the queue is full. Default <see cref="OverflowStrategy.DropOldest"/>.</summary>
    public OverflowStrategy Overflow { get; init; } = OverflowStrategy.DropOldest;

    /// <summary>Delivery order. Default <see cref="DeliveryOrder.Fifo"/>.</summary>
    public DeliveryOrder Order { get; init; } = DeliveryOrder.Fifo;

    /// <summary>
    /// How long a message may wait in the queue before it is discarded as expired, or <see langword="null"/> for no limit
    /// (the default). Between 1 ms and 1 day when set.
    /// </summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Checks every value.</summary>
    /// <param name="name">How the caller names these options in the error message (for example <c>buffers.fft_spectrum</c>).</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public BufferOptions Validate(string name = "buffer")
    {
        if (MaxSize is < 1 or > MaxAllowedSize)
        {
            throw new ArgumentOutOfRangeException(name, MaxSize,
                $"{name}.max_size is {MaxSize}; it must be between 1 and {MaxAllowedSize}.");
        }

        if (!Enum.IsDefined(Overflow))
        {
            throw new ArgumentOutOfRangeException(name, Overflow,
                $"{name}.overflow is {Overflow}; it must be drop_oldest or drop_newest.");
        }

        if (!Enum.IsDefined(Order))
        {
            throw new ArgumentOutOfRangeException(name, Order, $"{name}.order is {Order}; it must be fifo or lifo.");
        }

        if (Ttl is { } ttl && (ttl < TimeSpan.FromMilliseconds(1) || ttl > TimeSpan.FromDays(1)))
        {
            throw new ArgumentOutOfRangeException(name, ttl,
                $"{name}.ttl_seconds is {ttl.TotalSeconds}; it must be between 0.001 and 86400 seconds, or unset.");
        }

        return this;
    }
}
