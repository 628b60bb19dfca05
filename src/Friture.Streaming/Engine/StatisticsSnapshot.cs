using System.Collections.Immutable;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Diagnostics;
using Friture.Streaming.Protocols;
using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Engine;

/// <summary>Builds the facade's <see cref="StreamingStatistics"/> from the engine's counters.</summary>
internal static class StatisticsSnapshot
{
    public static StreamingStatistics Build(
        TypeRegistry types,
        ProducerRegistry producers,
        ConsumerRegistry consumers,
        ProtocolRegistry protocols,
        RateLimiter rateLimiter,
        BufferManager buffers,
        CaptureDispatcher dispatcher,
        AudioStatistics? audio,
        double? uptimeSeconds)
    {
        var rateLimiterStatistics = rateLimiter.GetStatistics();
        var perType = ImmutableDictionary.CreateBuilder<string, DataTypeStatistics>(StringComparer.Ordinal);
        var active = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        long produced = 0, delivered = 0, dropped = 0, limited = 0, bytes = 0;
        foreach (var state in types.All())
        {
            var counters = state.Totals();
            var stats = new DataTypeStatistics
            {
                Produced = state.Published,
                RateLimited = state.RateLimited,
                Delivered = counters.Delivered,
                Dropped = counters.DroppedByReason(),
                QueueDepth = counters.QueueDepth,
                QueuedBytes = counters.QueuedBytes,
                Consumers = state.Subscriptions.Length,
                Producers = producers.CountOf(state.DataType),
                RateLimitHz = rateLimiter.GetRateLimit(state.DataType),
            };
            perType[state.DataType.Name] = stats;
            active[state.DataType.Name] = stats.Consumers;
            produced += stats.Produced;
            delivered += stats.Delivered;
            dropped += counters.TotalDropped;
            limited += stats.RateLimited;
            bytes += stats.QueuedBytes;
        }

        ImmutableArray<ConsumerStatistics> consumerStatistics = [.. consumers.GetStatistics()];
        StreamingProtocol[] protocolList = protocols.Snapshot();
        return new StreamingStatistics
        {
            DataRateHz = dispatcher.RatePerSecond,
            ActiveConsumers = active.ToImmutable(),
            IsStreaming = uptimeSeconds is not null,
            UptimeSeconds = uptimeSeconds ?? 0,
            TotalProduced = produced,
            TotalDelivered = delivered,
            TotalDropped = dropped,
            TotalRateLimited = limited,
            MemoryBytes = bytes,
            DataTypes = perType.ToImmutable(),
            Consumers = consumerStatistics,
            RateLimiter = rateLimiterStatistics,
            Buffers = buffers.GetStatistics(),
            Audio = audio,
            Protocols = [.. protocolList.Select(static p => p.GetStatistics())],
        };
    }
}
