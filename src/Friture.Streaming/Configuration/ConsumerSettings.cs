using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>
/// A consumer described in a settings file (<c>consumers[]</c>). Kinds the core understands: <c>file</c> and
/// <c>queue</c>; callbacks live in code and are not saved.
/// </summary>
public sealed class ConsumerSettings
{
    /// <summary><c>file</c> or <c>queue</c>.</summary>
    [ConfigurationKeyName("kind")]
    public string? Kind { get; set; }

    /// <summary>The consumer id (optional).</summary>
    [ConfigurationKeyName("id")]
    public string? Id { get; set; }

    /// <summary>Data types (wire names) the consumer is registered for.</summary>
    [ConfigurationKeyName("data_types")]
    public List<string> DataTypes { get; set; } = [];

    /// <summary>File consumers: the file path.</summary>
    [ConfigurationKeyName("file_path")]
    public string? FilePath { get; set; }

    /// <summary>File consumers: <c>jsonl</c> (default) or <c>csv</c>.</summary>
    [ConfigurationKeyName("file_format")]
    public string? FileFormat { get; set; }

    /// <summary>File consumers: rotation size in MiB (default 100).</summary>
    [ConfigurationKeyName("max_file_size_mb")]
    public double? MaxFileSizeMb { get; set; }

    /// <summary>Queue consumers: capacity (default 1000).</summary>
    [ConfigurationKeyName("max_queue_size")]
    public int? MaxQueueSize { get; set; }

    /// <summary>Queue consumers: <c>drop_oldest</c> (default) or <c>drop_newest</c>.</summary>
    [ConfigurationKeyName("overflow_strategy")]
    public string? OverflowStrategy { get; set; }
}
