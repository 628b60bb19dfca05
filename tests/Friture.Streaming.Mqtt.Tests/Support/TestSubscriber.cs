using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace Friture.Streaming.Mqtt.Tests.Support;

/// <summary>An independent MQTTnet subscriber that records everything it receives.</summary>
internal sealed class TestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public ConcurrentQueue<Received> Messages { get; } = new();

    public static async Task<TestSubscriber> ConnectAsync(int port, string filter, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce)
    {
        var subscriber = new TestSubscriber();
        subscriber._client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            subscriber.Messages.Enqueue(new Received(message.Topic, System.Buffers.BuffersExtensions.ToArray(message.Payload), message.Retain, message.QualityOfServiceLevel));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("test-sub-" + Guid.NewGuid().ToString("N")[..8])
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await subscriber._client.ConnectAsync(options, timeout.Token);
        await subscriber._client.SubscribeAsync(
            new MqttClientFactory().CreateSubscribeOptionsBuilder().WithTopicFilter(filter, qos).Build(), timeout.Token);
        return subscriber;
    }

    public async Task WaitForAsync(Func<IReadOnlyCollection<Received>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition(Messages))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after 30 s waiting for {what}; received {Messages.Count} messages.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        catch (Exception)
        {
        }

        _client.Dispose();
    }

    internal sealed record Received(string Topic, byte[] Payload, bool Retain, MqttQualityOfServiceLevel Qos);
}
