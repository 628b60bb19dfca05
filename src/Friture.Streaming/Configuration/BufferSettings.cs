using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>Queue shape of one data type in a settings file (<c>buffers.&lt;data_type&gt;</c>).</summary>
public sealed class BufferSettings
{
    /// <summary>Capacity per consumer, 1 to 1,000,000 (default 1000).</summary>
    [ConfigurationKeyName("max_size")]
    public int? MaxSize { get; set; }

    /// <summary><c>drop_oldest</c> (default) or <c>drop_newest</c>.</summary>
    [ConfigurationKeyName("overflow")]
    public string? Overflow { get; set; }

    /// <summary><c>fifo</c> (default) or <c>lifo</c>.</summary>
    [ConfigurationKeyName("order")]
    public string? Order { get; set; }

    /// <summary>Time to live in seconds, 0.001 to 86400, or unset.</summary>
    [ConfigurationKeyName("ttl_seconds")]
    public double? TtlSeconds { get; set; }
}
