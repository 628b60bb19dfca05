using System.Diagnostics;
using System.Text;
using Friture.Streaming.Consumers;
using Friture.Streaming.Mqtt.Tests.Support;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using MQTTnet.Protocol;

namespace Friture.Streaming.Mqtt.Tests;

/// <summary>Against a real Mosquitto started per test on a free loopback port.</summary>
public sealed class MqttProtocolBrokerTests
{
    private static MqttProtocol Create(MosquittoBroker broker, Action<MqttProtocolOptions>? configure = null)
    {
        var options = new MqttProtocolOptions { SourceId = "station1", ReconnectInitialDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(400) };
        configure?.Invoke(options);
        return new MqttProtocol("127.0.0.1", broker.Port, options);
    }

    [Fact]
    public async Task Broadcast_Json_SubscriberGetsEnvelopeOnTypeTopicWithSequence()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/#");
        await using var protocol = Create(broker);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => protocol.IsConnected, "the connection");

        for (var i = 0; i < 20; i++)
        {
            protocol.Broadcast(Messages.Pitch(i), SerializationFormat.Json);
            protocol.Broadcast(Messages.Levels(i), SerializationFormat.Json);
        }

        await subscriber.WaitForAsync(m => m.Count(x => x.Topic != protocol.StatusTopic) >= 40, "40 stream messages");
        var pitch = subscriber.Messages.Where(m => m.Topic == "friture/station1/pitch_tracker").Select(m => StreamingJson.Deserialize(m.Payload)).ToList();
        var levels = subscriber.Messages.Where(m => m.Topic == "friture/station1/levels").Select(m => StreamingJson.Deserialize(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), pitch.Select(p => p.Metadata.SequenceNumber));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), levels.Select(p => p.Metadata.SequenceNumber));
        Assert.Equal(440.0, ((Data.PitchData)pitch[5].Data).FrequencyHz);
        Assert.Equal(DataType.Levels, levels[0].DataType);
        Assert.Equal(40, protocol.GetMqttStatistics().Published);
        Assert.Equal(0, protocol.GetStatistics().MessagesDropped);
    }

    [Fact]
    public async Task Broadcast_Binary_PayloadIsBinaryFrame()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/fft_spectrum");
        await using var protocol = Create(broker, o => o.Resolution = ResolutionRequest.Full);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => protocol.IsConnected, "the connection");

        protocol.Broadcast(Messages.Fft(7), SerializationFormat.Binary);

        await subscriber.WaitForAsync(m => m.Count >= 1, "the spectrum");
        var payload = subscriber.Messages.Single().Payload;
        Assert.True(payload.AsSpan(0, 4).SequenceEqual(BinaryFrame.Magic));
        var decoded = BinaryFrame.Read(payload);
        Assert.Equal(7, decoded.Metadata.SequenceNumber);
        Assert.Equal(1025, ((Data.FftSpectrumData)decoded.Data).MagnitudesDb.Length);
    }

    [Fact]
    public async Task Pipeline_StreamingApiWithNetworkConsumer_MosquittoSubReceives()
    {
        var mosquittoSub = MosquittoBroker.Require("mosquitto_sub");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var protocol = Create(broker);
        await using var api = new StreamingApi();
        api.AddProtocol(protocol);
        api.RegisterConsumer(DataType.PitchTracker, new NetworkConsumer(protocol));
        await api.StartStreamingAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => protocol.IsConnected, "the connection");

        // An independent subscriber: the Mosquitto command-line client, printing "topic payload" lines.
        var info = new ProcessStartInfo(mosquittoSub)
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", broker.Port.ToString(), "-t", "friture/station1/pitch_tracker", "-v", "-C", "5", "-W", "60" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var lines = 0;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                    lines++;
                }
            }
        };
        process.BeginOutputReadLine();

        // mosquitto_sub has no "subscribed" signal: publish until it has printed 5 lines (it exits after -C 5).
        var sequence = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            api.Publish(DataType.PitchTracker, new Data.PitchData { FrequencyHz = 220, Confidence = 0.8, NoteName = "A3" }, "mic", streamTime: sequence++ * 0.02);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);
        string[] received;
        lock (output)
        {
            received = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        Assert.Equal(5, received.Length);
        long? previous = null;
        foreach (var line in received)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            Assert.Equal("friture/station1/pitch_tracker", line[..space]);
            var message = StreamingJson.Deserialize(line[(space + 1)..]);
            Assert.Equal("A3", ((Data.PitchData)message.Data).NoteName);
            if (previous is { } p)
            {
                Assert.Equal(p + 1, message.Metadata.SequenceNumber);
            }

            previous = message.Metadata.SequenceNumber;
        }
    }

    [Fact]
    public async Task Broker_KilledAndRestartedMidStream_PublishingResumesAndOutageIsCounted()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var protocol = Create(broker, o => o.QueueCapacity = 16);
        var errors = 0;
        protocol.ErrorOccurred += (_, _) => Interlocked.Increment(ref errors);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => protocol.IsConnected, "the connection");
        long sequence = 0;

        await using (var before = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/levels"))
        {
            for (; sequence < 10; sequence++)
            {
                protocol.Broadcast(Messages.Levels(sequence), SerializationFormat.Json);
            }

            await before.WaitForAsync(m => m.Count >= 10, "10 messages before the outage");
        }

        await broker.KillAsync();
        await Wait.UntilAsync(() => !protocol.IsConnected, "the client to notice the outage");

        // Mid-stream, with no broker: the pipeline keeps broadcasting and Broadcast never blocks.
        var outageStart = sequence;
        for (; sequence < outageStart + 200; sequence++)
        {
            protocol.Broadcast(Messages.Levels(sequence), SerializationFormat.Json);
        }

        await Wait.UntilAsync(() => protocol.GetMqttStatistics().ConnectFailures >= 2, "reconnection attempts with backoff");
        var duringOutage = protocol.GetMqttStatistics();
        Assert.True(duringOutage.Dropped >= 200 - 16 - 1, $"dropped {duringOutage.Dropped}");

        await broker.StartProcessAsync();
        await Wait.UntilAsync(() => protocol.IsConnected, "the reconnection");
        await using var after = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/levels");
        var resumeFrom = sequence;
        await Wait.UntilAsync(
            () =>
            {
                protocol.Broadcast(Messages.Levels(sequence++), SerializationFormat.Json);
                return after.Messages.Any(m => StreamingJson.Deserialize(m.Payload).Metadata.SequenceNumber >= resumeFrom + 5);
            },
            "messages published after the restart");

        var statistics = protocol.GetMqttStatistics();
        Assert.True(statistics.Connections >= 2);
        Assert.True(statistics.Unpublished >= 200 - 16 - 1, $"unpublished {statistics.Unpublished}");
        Assert.Equal(statistics.Received, statistics.Published + statistics.Unpublished + statistics.QueueLength + statistics.Skipped);
        Assert.True(errors >= 1);
        Assert.True(protocol.IsRunning);
    }

    [Fact]
    public async Task LastWill_ConnectionKilledWithoutDisconnect_StatusOfflineThenOnlineAgain()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var proxy = new TcpProxy(broker.Port);
        await using var protocol = new MqttProtocol("127.0.0.1", proxy.Port, new MqttProtocolOptions
        {
            SourceId = "station1",
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
        });
        await using var subscriber = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/status", MqttQualityOfServiceLevel.AtLeastOnce);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        await subscriber.WaitForAsync(m => m.Any(x => Encoding.UTF8.GetString(x.Payload) == "online"), "online");

        // The connection dies as with a crashed process: TCP reset, no MQTT DISCONNECT.
        proxy.AbortAll();

        await subscriber.WaitForAsync(m => m.Count(x => Encoding.UTF8.GetString(x.Payload) == "online") >= 2, "the will, then online after reconnecting");
        var statuses = subscriber.Messages.Select(m => Encoding.UTF8.GetString(m.Payload)).ToList();
        Assert.Equal(["online", "offline", "online"], statuses.Take(3));
        Assert.Equal("friture/station1/status", subscriber.Messages.First().Topic);
    }

    [Fact]
    public async Task Stop_Clean_StatusOfflineIsRetained()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var protocol = Create(broker);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => protocol.IsConnected, "the connection");
        await protocol.StopAsync(TestContext.Current.CancellationToken);

        await using var late = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/status");
        await late.WaitForAsync(m => m.Count >= 1, "the retained status");
        var status = late.Messages.Single();
        Assert.True(status.Retain);
        Assert.Equal("offline", Encoding.UTF8.GetString(status.Payload));
    }

    [Fact]
    public async Task Retain_QoS1_LateSubscriberGetsLastMessageRetainedAtQoS1()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var protocol = Create(broker, o =>
        {
            o.Retain = true;
            o.QualityOfService = MqttQualityOfService.AtLeastOnce;
        });
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 3; i++)
        {
            protocol.Broadcast(Messages.Pitch(i), SerializationFormat.Json);
        }

        await Wait.UntilAsync(() => protocol.GetMqttStatistics().Published == 3, "3 acknowledged publishes");
        await using var late = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/pitch_tracker", MqttQualityOfServiceLevel.ExactlyOnce);
        await late.WaitForAsync(m => m.Count >= 1, "the retained message");
        var retained = late.Messages.Single();
        Assert.True(retained.Retain);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, retained.Qos);
        Assert.Equal(2, StreamingJson.Deserialize(retained.Payload).Metadata.SequenceNumber);
    }

    [Fact]
    public async Task QoS2_Broadcast_ArrivesExactlyOnceAtQoS2()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await TestSubscriber.ConnectAsync(broker.Port, "friture/station1/#", MqttQualityOfServiceLevel.ExactlyOnce);
        await using var protocol = Create(broker, o => o.QualityOfService = MqttQualityOfService.ExactlyOnce);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 10; i++)
        {
            protocol.Broadcast(Messages.Pitch(i), SerializationFormat.Json);
        }

        await subscriber.WaitForAsync(m => m.Count(x => x.Topic.EndsWith("pitch_tracker", StringComparison.Ordinal)) >= 10, "10 messages");
        var pitch = subscriber.Messages.Where(x => x.Topic.EndsWith("pitch_tracker", StringComparison.Ordinal)).ToList();
        Assert.All(pitch, m => Assert.Equal(MqttQualityOfServiceLevel.ExactlyOnce, m.Qos));
        Assert.Equal(10, pitch.Select(m => StreamingJson.Deserialize(m.Payload).Metadata.SequenceNumber).Distinct().Count());
    }

    [Fact]
    public async Task Credentials_RightAndWrongPassword_ConnectsOrCountsFailures()
    {
        var passwd = MosquittoBroker.Require("mosquitto_passwd");
        await using var broker = await MosquittoBroker.StartAsync(
            "allow_anonymous false\npassword_file {dir}/passwords",
            directory =>
            {
                using var process = Process.Start(new ProcessStartInfo(passwd)
                {
                    ArgumentList = { "-b", "-c", Path.Combine(directory, "passwords"), "station", "s3cret" },
                    UseShellExecute = false,
                })!;
                process.WaitForExit();
            });
        await using var good = Create(broker, o =>
        {
            o.Username = "station";
            o.Password = "s3cret";
            o.SourceId = "good";
        });
        await using var bad = Create(broker, o =>
        {
            o.Username = "station";
            o.Password = "wrong";
            o.SourceId = "bad";
        });
        await good.StartAsync(TestContext.Current.CancellationToken);
        await bad.StartAsync(TestContext.Current.CancellationToken);

        await Wait.UntilAsync(() => good.IsConnected, "the authenticated connection");
        await Wait.UntilAsync(() => bad.GetMqttStatistics().ConnectFailures >= 2, "refused connections");
        Assert.False(bad.IsConnected);
        Assert.Equal(0, bad.GetMqttStatistics().Connections);
    }
}
