using Friture.Streaming.Mqtt.Tests.Support;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Mqtt.Tests;

/// <summary>
/// Stop with a queue full of messages against a real Mosquitto: every message is published or counted (before, about
/// 1,020 queued messages were discarded at stop and only appeared in no log).
/// </summary>
public sealed class MqttProtocolStopTests
{
    [Fact]
    public async Task StopAsync_QueueFullWhileConnected_PublishesTheQueueBeforeDisconnecting()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/levels");
        await using var protocol = new MqttProtocol("127.0.0.1", broker.Port, new MqttProtocolOptions { SourceId = "station1", QueueCapacity = 2000 });
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => protocol.IsConnected, "the connection");

        for (var i = 0; i < 1000; i++)
        {
            protocol.Broadcast(Messages.Levels(i), SerializationFormat.Json);
        }

        await protocol.StopAsync(TestContext.Current.CancellationToken);

        var statistics = protocol.GetMqttStatistics();
        Assert.Equal(1000, statistics.Received);
        Assert.Equal(1000, statistics.Published + statistics.Unpublished);
        Assert.Equal(0, statistics.Abandoned);
        await subscriber.WaitForAsync(m => m.Count >= 1000, "all 1000 messages at the subscriber");
    }

    [Fact]
    public async Task StopAsync_BrokerUnreachable_EveryQueuedMessageCountedAndReported()
    {
        using var closed = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        closed.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)closed.LocalEndPoint!).Port;
        await using var protocol = new MqttProtocol("127.0.0.1", port, new MqttProtocolOptions { SourceId = "s", QueueCapacity = 2000 });
        var errors = new List<string>();
        protocol.ErrorOccurred += (_, e) => { lock (errors) { errors.Add(e.Message); } };
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 1020; i++)
        {
            protocol.Broadcast(Messages.Levels(i), SerializationFormat.Json);
        }

        await protocol.StopAsync(TestContext.Current.CancellationToken);

        var statistics = protocol.GetMqttStatistics();
        Assert.Equal(1020, statistics.Abandoned);
        Assert.Equal(1020, statistics.Unpublished);
        Assert.Equal(1020, protocol.GetStatistics().MessagesDropped);
        lock (errors)
        {
            Assert.Contains(errors, e => e.Contains("1020 queued messages unpublished", StringComparison.Ordinal));
        }
    }
}
