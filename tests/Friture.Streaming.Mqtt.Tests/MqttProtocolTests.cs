using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Configuration;
using Friture.Streaming.Mqtt.Tests.Support;
using Friture.Streaming.Serialization;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Mqtt.Tests;

/// <summary>Behaviour that needs no broker: options, settings, queue, rates, backoff on a fake clock.</summary>
public sealed class MqttProtocolTests
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void Constructor_Defaults_TopicsUseSanitisedMachineName()
    {
        var protocol = new MqttProtocol();
        Assert.Equal("localhost", protocol.Host);
        Assert.Equal(1883, protocol.Port);
        Assert.Equal("mqtt", protocol.Name);
        Assert.Equal(MqttProtocolOptions.SanitizeSegment(Environment.MachineName), protocol.SourceId);
        Assert.Equal($"friture/{protocol.SourceId}/status", protocol.StatusTopic);
        Assert.Equal($"friture/{protocol.SourceId}/fft_spectrum", protocol.TopicFor(DataType.FftSpectrum));
    }

    [Theory]
    [InlineData("Lab Mic #2/left", "lab_mic__2_left")]
    [InlineData("station-1", "station-1")]
    public void SourceId_Wildcards_AreReplaced(string sourceId, string expected)
    {
        var protocol = new MqttProtocol(options: new MqttProtocolOptions { SourceId = sourceId, TopicPrefix = "lab/friture" });
        Assert.Equal($"lab/friture/{expected}/levels", protocol.TopicFor(DataType.Levels));
    }

    [Fact]
    public void Options_Invalid_MessageNamesOptionAndValue()
    {
        var queue = Assert.Throws<ArgumentOutOfRangeException>(() => new MqttProtocol(options: new MqttProtocolOptions { QueueCapacity = 0 }));
        Assert.Contains("QueueCapacity is 0", queue.Message, StringComparison.Ordinal);
        var prefix = Assert.Throws<ArgumentException>(() => new MqttProtocol(options: new MqttProtocolOptions { TopicPrefix = "a/#" }));
        Assert.Contains("TopicPrefix is 'a/#'", prefix.Message, StringComparison.Ordinal);
        var rate = Assert.Throws<ArgumentException>(() =>
        {
            var options = new MqttProtocolOptions();
            options.RatesHz["no_such_type"] = 5;
            return new MqttProtocol(options: options);
        });
        Assert.Contains("no_such_type", rate.Message, StringComparison.Ordinal);
        var backoff = Assert.Throws<ArgumentOutOfRangeException>(() => new MqttProtocol(options: new MqttProtocolOptions
        {
            ReconnectInitialDelay = TimeSpan.FromSeconds(5),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        }));
        Assert.Contains("ReconnectMaxDelay", backoff.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MqttProtocol(options: new MqttProtocolOptions { Password = "x" }));
        Assert.Throws<ArgumentException>(() => new MqttProtocol(options: new MqttProtocolOptions { TlsAllowUntrustedCertificates = true }));
    }

    private static MqttProtocol FromSettings(string json)
    {
        var settings = StreamingSettings.Parse(json, [MqttSettings.Kind]);
        // Not started, and kept undisposed so the protocol can be inspected.
        var api = new StreamingApi();
        api.ApplySettings(settings, [MqttSettings.Kind]);
        return Assert.IsType<MqttProtocol>(Assert.Single(api.Protocols));
    }

    [Fact]
    public void FromSettings_AllKeys_AreApplied()
    {
        var protocol = FromSettings("""
            { "protocols": [ { "kind": "mqtt", "host": "broker.example", "port": 8883, "options": {
                "topic_prefix": "site", "source_id": "hall", "client_id": "hall-1", "qos": 1, "retain": true,
                "username": "u", "password": "p", "tls": true, "tls_allow_untrusted": true, "queue_capacity": 64,
                "reconnect_initial_delay": "00:00:00.100", "reconnect_max_delay": "00:00:05", "keep_alive": "00:00:05",
                "timeout": "00:00:03", "rates": { "fft_spectrum": 10 } } } ] }
            """);

        Assert.Equal("broker.example", protocol.Host);
        Assert.Equal(8883, protocol.Port);
        Assert.Equal("site/hall/fft_spectrum", protocol.TopicFor(DataType.FftSpectrum));
        Assert.Equal("hall-1", protocol.ClientId);
        var o = protocol.Options;
        Assert.Equal(MqttQualityOfService.AtLeastOnce, o.QualityOfService);
        Assert.True(o.Retain);
        Assert.Equal(("u", "p"), (o.Username, o.Password));
        Assert.True(o.UseTls && o.TlsAllowUntrustedCertificates);
        Assert.Equal(64, o.QueueCapacity);
        Assert.Equal(TimeSpan.FromMilliseconds(100), o.ReconnectInitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), o.ReconnectMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), o.KeepAlivePeriod);
        Assert.Equal(TimeSpan.FromSeconds(3), o.Timeout);
        Assert.Equal(10, o.RatesHz["fft_spectrum"]);
    }

    [Fact]
    public void FromSettings_DefaultsAndErrors_NameTheKey()
    {
        var protocol = FromSettings("""{ "protocols": [ { "kind": "MQTT" } ] }""");
        Assert.Equal(("localhost", 1883), (protocol.Host, protocol.Port));

        var unknown = Assert.Throws<StreamingSettingsException>(() => FromSettings("""{ "protocols": [ { "kind": "mqtt", "options": { "qso": 1 } } ] }"""));
        Assert.Contains("options.qso", unknown.Message, StringComparison.Ordinal);
        var qos = Assert.Throws<StreamingSettingsException>(() => FromSettings("""{ "protocols": [ { "kind": "mqtt", "options": { "qos": 3 } } ] }"""));
        Assert.Contains("options.qos is 3", qos.Message, StringComparison.Ordinal);
        var retain = Assert.Throws<StreamingSettingsException>(() => FromSettings("""{ "protocols": [ { "kind": "mqtt", "options": { "retain": "maybe" } } ] }"""));
        Assert.Contains("options.retain is 'maybe'", retain.Message, StringComparison.Ordinal);
        Assert.Throws<StreamingSettingsException>(() => FromSettings("""{ "protocols": [ { "kind": "osc" } ] }"""));
    }

    [Fact]
    public void ReconnectBackoff_Doubles_UpToMaximum_AndResets()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        var delays = Enumerable.Range(0, 7).Select(_ => backoff.NextDelay().TotalMilliseconds).ToArray();
        Assert.Equal([250, 500, 1000, 2000, 3000, 3000, 3000], delays);
        backoff.Reset();
        Assert.Equal(250, backoff.NextDelay().TotalMilliseconds);
    }

    [Fact]
    public async Task Reconnect_NoBroker_AttemptsFollowBackoffOnFakeClock()
    {
        var clock = new FakeTimeProvider();
        await using var protocol = new MqttProtocol("127.0.0.1", ClosedPort(), new MqttProtocolOptions
        {
            SourceId = "s",
            TimeProvider = clock,
            ReconnectInitialDelay = TimeSpan.FromSeconds(1),
            ReconnectMaxDelay = TimeSpan.FromSeconds(4),
        });
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => protocol.GetMqttStatistics().ConnectFailures == 1, "the first refused attempt");

        // Delays 1 s, 2 s, 4 s, 4 s: the n-th retry happens only once the clock has advanced by the n-th delay.
        long expected = 1;
        foreach (var delay in new[] { 1, 2, 4, 4 })
        {
            clock.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(expected, protocol.GetMqttStatistics().ConnectFailures);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            expected++;
            await Wait.UntilAsync(() => protocol.GetMqttStatistics().ConnectFailures == expected, $"attempt {expected}");
        }

        Assert.True(protocol.IsRunning);
        Assert.False(protocol.IsConnected);
    }

    [Fact]
    public async Task Broadcast_NoBroker_NeverBlocksAndDropsOldestCounted()
    {
        await using var protocol = new MqttProtocol("127.0.0.1", ClosedPort(), new MqttProtocolOptions
        {
            SourceId = "s",
            QueueCapacity = 10,
            TimeProvider = new FakeTimeProvider(),
        });
        string? error = null;
        protocol.ErrorOccurred += (_, e) => error ??= e.Message;
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        for (var i = 0; i < 100; i++)
        {
            protocol.Broadcast(Messages.Pitch(i), SerializationFormat.Json);
        }

        var statistics = protocol.GetMqttStatistics();
        Assert.Equal(100, statistics.Received);
        Assert.Equal(90, statistics.Dropped);
        Assert.Equal(10, statistics.QueueLength);
        Assert.Equal(0, statistics.Published);
        await Wait.UntilAsync(() => error is not null, "the error report");
        Assert.Contains("cannot connect", error, StringComparison.Ordinal);

        await protocol.StopAsync(TestContext.Current.CancellationToken);
        var stopped = protocol.GetMqttStatistics();
        Assert.Equal(100, stopped.Unpublished);
        Assert.Equal(100, protocol.GetStatistics().MessagesDropped);
    }

    [Fact]
    public async Task RatesHz_FakeClock_SkipsOverRatePerType()
    {
        var clock = new FakeTimeProvider();
        var options = new MqttProtocolOptions { SourceId = "s", TimeProvider = clock, QueueCapacity = 1000 };
        options.RatesHz["fft_spectrum"] = 10;
        await using var protocol = new MqttProtocol("127.0.0.1", ClosedPort(), options);
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        // One second at 100 Hz of each type: the spectrum is limited to 10 Hz, pitch is not limited.
        for (var i = 0; i < 100; i++)
        {
            protocol.Broadcast(Messages.Fft(i, bins: 17), SerializationFormat.Json);
            protocol.Broadcast(Messages.Pitch(i), SerializationFormat.Json);
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        var statistics = protocol.GetMqttStatistics();
        Assert.InRange(statistics.Skipped, 89, 90);
        Assert.Equal(200 - statistics.Skipped, statistics.QueueLength);
    }
}
