using System.Collections.Immutable;

namespace Friture.Streaming.Buffering;

/// <summary>Buffer manager statistics (<c>api._buffer_manager.get_statistics()</c> in the original Friture streaming API).</summary>
public sealed record BufferStatistics
{
    /// <summary>Messages waiting in all consumer queues.</summary>
    public long TotalQueued { get; init; }

    /// <summary>Estimated bytes held by those messages.</summary>
    public long TotalQueuedBytes { get; init; }

    /// <summary>Per data type (wire name): configuration and current use.</summary>
    public ImmutableDictionary<string, BufferTypeStatistics> DataTypes { get; init; } = ImmutableDictionary<string, BufferTypeStatistics>.Empty;
}
