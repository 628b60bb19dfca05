using System.Diagnostics.Metrics;
using Friture.Streaming.Diagnostics;

namespace Friture.Streaming.Engine;

/// <summary>
/// The API's figures as <see cref="System.Diagnostics.Metrics"/> instruments on the meter <c>Friture.Streaming</c>, so
/// dotnet-counters and OpenTelemetry read them.
/// </summary>
/// <remarks>
/// Counters: <c>friture.streaming.messages.produced</c>, <c>.delivered</c>, <c>.rate_limited</c> (tag <c>data_type</c>),
/// <c>friture.streaming.messages.dropped</c> (tags <c>data_type</c>, <c>reason</c>), <c>friture.streaming.audio.overruns</c>,
/// <c>friture.streaming.audio.lost_frames</c>, <c>friture.streaming.protocol.messages.sent</c> and
/// <c>friture.streaming.protocol.messages.dropped</c> (tag <c>protocol</c>: messages a network client's queue dropped
/// because the client read too slowly, or a broker protocol could not publish). Gauges: <c>friture.streaming.queue.depth</c>,
/// <c>friture.streaming.queue.bytes</c>, <c>friture.streaming.consumers</c>, <c>friture.streaming.protocol.clients</c>
/// (tag <c>protocol</c>). Counters are observable (read from the
/// engine's own counters when a listener collects), so the publishing path pays nothing for them.
/// </remarks>
internal sealed class StreamingMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Friture.Streaming";

    private readonly Meter _meter;

    public StreamingMetrics(Func<StreamingStatistics> statistics, IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName, typeof(StreamingMetrics).Assembly.GetName().Version?.ToString());
        _meter.CreateObservableCounter("friture.streaming.messages.produced", () => PerType(statistics, static s => s.Produced), unit: "{message}",
            description: "Messages published after rate limiting.");
        _meter.CreateObservableCounter("friture.streaming.messages.delivered", () => PerType(statistics, static s => s.Delivered), unit: "{message}",
            description: "Messages handed to consumer code.");
        _meter.CreateObservableCounter("friture.streaming.messages.rate_limited", () => PerType(statistics, static s => s.RateLimited), unit: "{message}",
            description: "Results refused by the rate limiter before being built.");
        _meter.CreateObservableCounter("friture.streaming.messages.dropped", () => Dropped(statistics), unit: "{message}",
            description: "Messages that never reached a consumer, by reason.");
        _meter.CreateObservableGauge("friture.streaming.queue.depth", () => PerType(statistics, static s => s.QueueDepth), unit: "{message}",
            description: "Messages waiting in consumer queues.");
        _meter.CreateObservableGauge("friture.streaming.queue.bytes", () => PerType(statistics, static s => s.QueuedBytes), unit: "By",
            description: "Estimated bytes held in consumer queues.");
        _meter.CreateObservableGauge("friture.streaming.consumers", () => PerType(statistics, static s => s.Consumers), unit: "{consumer}",
            description: "Registered consumers.");
        _meter.CreateObservableCounter("friture.streaming.audio.overruns", () => statistics().Audio?.Overruns ?? 0, unit: "{overrun}",
            description: "Times audio was lost because analysis or the backend fell behind.");
        _meter.CreateObservableCounter("friture.streaming.audio.lost_frames", () => statistics().Audio?.LostFrames ?? 0, unit: "{frame}",
            description: "Frames lost in overruns.");
        _meter.CreateObservableCounter("friture.streaming.protocol.messages.sent", () => PerProtocol(statistics, static p => p.MessagesSent), unit: "{message}",
            description: "Messages written to network clients, per protocol.");
        _meter.CreateObservableCounter("friture.streaming.protocol.messages.dropped", () => PerProtocol(statistics, static p => p.MessagesDropped), unit: "{message}",
            description: "Messages network clients lost because they read too slowly (or a broker protocol could not publish), per protocol.");
        _meter.CreateObservableGauge("friture.streaming.protocol.clients", () => PerProtocol(statistics, static p => p.ConnectedClients), unit: "{client}",
            description: "Connected network clients, per protocol.");
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> PerType(Func<StreamingStatistics> statistics, Func<DataTypeStatistics, long> selector)
    {
        foreach (var (name, stats) in statistics().DataTypes)
        {
            yield return new Measurement<long>(selector(stats), new KeyValuePair<string, object?>("data_type", name));
        }
    }

    private static IEnumerable<Measurement<long>> PerProtocol(Func<StreamingStatistics> statistics, Func<Protocols.ProtocolStatistics, long> selector)
    {
        foreach (var protocol in statistics().Protocols)
        {
            yield return new Measurement<long>(selector(protocol), new KeyValuePair<string, object?>("protocol", protocol.Name));
        }
    }

    private static IEnumerable<Measurement<long>> Dropped(Func<StreamingStatistics> statistics)
    {
        foreach (var (name, stats) in statistics().DataTypes)
        {
            foreach (var (reason, count) in stats.Dropped)
            {
                yield return new Measurement<long>(count,
                    new KeyValuePair<string, object?>("data_type", name),
                    new KeyValuePair<string, object?>("reason", reason.ToString().ToLowerInvariant()));
            }
        }
    }
}
