using System.Collections.Immutable;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Diagnostics;

/// <summary>
/// Everything <see cref="StreamingApi.GetStatistics"/> reports (<c>get_statistics()</c> in the original Friture streaming API dictionary, typed).
/// </summary>
/// <remarks>Serialized with the library's JSON options, its keys are those of the original Friture streaming API: <c>data_rate_hz</c>, <c>active_consumers</c>, ...</remarks>
public sealed record StreamingStatistics
{
    /// <summary>Messages published per second, averaged over the last 10 seconds (or since start when shorter).</summary>
    public double DataRateHz { get; init; }

    /// <summary>Registered consumers per data type (wire name).</summary>
    public ImmutableDictionary<string, int> ActiveConsumers { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>Whether streaming is started.</summary>
    public bool IsStreaming { get; init; }

    /// <summary>Seconds since streaming last started (0 when stopped).</summary>
    public double UptimeSeconds { get; init; }

    /// <summary>Messages published in total.</summary>
    public long TotalProduced { get; init; }

    /// <summary>Messages handed to consumer code in total.</summary>
    public long TotalDelivered { get; init; }

    /// <summary>Messages dropped in total, all reasons.</summary>
    public long TotalDropped { get; init; }

    /// <summary>Results refused by the rate limiter in total.</summary>
    public long TotalRateLimited { get; init; }

    /// <summary>Estimated bytes held in all consumer queues now.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>Per data type (wire name).</summary>
    public ImmutableDictionary<string, DataTypeStatistics> DataTypes { get; init; } = ImmutableDictionary<string, DataTypeStatistics>.Empty;

    /// <summary>Per consumer.</summary>
    public ImmutableArray<ConsumerStatistics> Consumers { get; init; } = [];

    /// <summary>The rate limiter's figures.</summary>
    public RateLimiterStatistics RateLimiter { get; init; } = new();

    /// <summary>The buffer manager's figures.</summary>
    public BufferStatistics Buffers { get; init; } = new();

    /// <summary>Audio capture figures, or null when no source is set.</summary>
    public AudioStatistics? Audio { get; init; }

    /// <summary>Every protocol added: clients, messages sent and dropped per client (each protocol's <c>GetStatistics()</c>).</summary>
    public ImmutableArray<Protocols.ProtocolStatistics> Protocols { get; init; } = [];

    /// <summary>The statistics as JSON with the snake_case keys of the original Friture streaming API (<c>data_rate_hz</c>, <c>active_consumers</c>, ...).</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(this, StatisticsJsonContext.Default.StreamingStatistics);
        return indented ? System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) : json;
    }
}
