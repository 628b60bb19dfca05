using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Engine;

public sealed class StatisticsTests
{
    [Fact]
    public async Task GetStatistics_SeedKeysAndFiguresInJson()
    {
        var time = new FakeTimeProvider();
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = time });
        api.SetRateLimit(DataType.Levels, 0);
        var queue = new QueueConsumer(maxQueueSize: 10);
        api.RegisterConsumer(DataType.Levels, queue);
        for (var second = 0; second < 3; second++)
        {
            for (var i = 0; i < 20; i++)
            {
                api.Publish(DataType.Levels, Blocks.Levels(i));
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        var stats = api.GetStatistics();
        Assert.Equal(20.0, stats.DataRateHz, 6);
        Assert.Equal(1, stats.ActiveConsumers["levels"]);
        Assert.Equal(60, stats.TotalProduced);
        Assert.Equal(50, stats.TotalDropped);
        Assert.Equal(10, stats.Buffers.TotalQueued);
        Assert.True(stats.MemoryBytes > 0);
        Assert.Equal(stats.MemoryBytes, stats.Buffers.TotalQueuedBytes);

        var json = JsonNode.Parse(stats.ToJson())!;
        Assert.Equal(20.0, (double)json["data_rate_hz"]!);
        Assert.Equal(1, (int)json["active_consumers"]!["levels"]!);
        Assert.NotNull(json["rate_limiter"]!["data_types"]!["pitch_tracker"]);
        Assert.Equal(10, (long)json["buffers"]!["total_queued"]!);
        Assert.Equal(60, (long)json["data_types"]!["levels"]!["produced"]!);
    }

    [Fact]
    public async Task GetStatistics_QueuedBytesReturnToZeroWhenDrained()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var queue = new QueueConsumer();
        api.RegisterConsumer(DataType.Levels, queue);
        for (var i = 0; i < 10; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        Assert.True(api.GetStatistics().MemoryBytes > 0);
        while (queue.TryGetData(out _))
        {
        }

        Assert.Equal(0, api.GetStatistics().MemoryBytes);
        Assert.Equal(10, api.GetStatistics().DataTypes["levels"].Delivered);
    }

    [Fact]
    public async Task Metrics_MeterFritureStreaming_ReportsProducedAndDropped()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        api.RegisterConsumer(DataType.Levels, new QueueConsumer(maxQueueSize: 2));
        for (var i = 0; i < 5; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Friture.Streaming")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var type = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == "data_type")
                {
                    type = (string)tag.Value!;
                }
            }

            if (type == "levels")
            {
                seen[instrument.Name] = seen.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.True(seen["friture.streaming.messages.produced"] >= 5);
        Assert.True(seen["friture.streaming.messages.dropped"] >= 3);
        Assert.True(seen.ContainsKey("friture.streaming.queue.depth"));
    }

    [Fact]
    public async Task BufferManager_ConfigureBuffer_InvalidTtl_MessageNamesTypeAndRange()
    {
        await using var api = new StreamingApi();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => api.BufferManager.ConfigureBuffer(DataType.FftSpectrum, 10, ttl: TimeSpan.FromDays(3)));
        Assert.Contains("buffers.fft_spectrum.ttl_seconds", ex.Message, StringComparison.Ordinal);
        Assert.Contains("between 0.001 and 86400", ex.Message, StringComparison.Ordinal);
        api.BufferManager.ConfigureBuffer(DataType.FftSpectrum, 500, DeliveryOrder.Lifo, ttl: TimeSpan.FromSeconds(30));
        var options = api.BufferManager.GetBufferOptions(DataType.FftSpectrum);
        Assert.Equal(500, options.MaxSize);
        Assert.Equal(DeliveryOrder.Lifo, options.Order);
    }
}
