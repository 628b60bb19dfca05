using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Tests.Support;

namespace Friture.Streaming.Server.Tests.Tcp;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class TcpProtocolTests
{
    [Fact]
    public async Task Broadcast_LargeJson_ArrivesAsOneLengthPrefixedFrame()
    {
        await using var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol);
        var sent = TestData.Spectrum(5, 4097);

        protocol.Broadcast(sent, SerializationFormat.Json);
        protocol.Broadcast(TestData.Levels(6), SerializationFormat.Json);

        var first = await client.ReadFrameAsync();
        var second = await client.ReadFrameAsync();
        Assert.Equal(StreamingJson.SerializeToUtf8Bytes(sent), first);
        Assert.Equal(6, StreamingJson.Deserialize(second).Metadata.SequenceNumber);
    }

    [Fact]
    public async Task Broadcast_Binary_FrameDecodes()
    {
        await using var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol);

        protocol.Broadcast(TestData.Spectrum(2, 513), SerializationFormat.Binary);

        var frame = await client.ReadFrameAsync();
        Assert.Equal(513, ((FftSpectrumData)BinaryFrame.Read(frame).Data).MagnitudesDb.Length);
    }

    [Fact]
    public async Task ControlLines_SubscribeMalformedPing_ReplyAndTheConnectionStaysUsable()
    {
        await using var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol);

        await client.SendLineAsync("""{"action":"subscribe","types":"pitch_tracker","rate":5}""");
        using (var reply = JsonDocument.Parse(await client.ReadTextAsync()))
        {
            Assert.Equal("subscribed", reply.RootElement.GetProperty("type").GetString());
            Assert.Equal(5, reply.RootElement.GetProperty("rate").GetDouble());
        }

        await client.SendLineAsync("[1,2,3]");
        using (var error = JsonDocument.Parse(await client.ReadTextAsync()))
        {
            Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        }

        await client.SendLineAsync("""{"action":"ping"}""");
        Assert.Contains("pong", await client.ReadTextAsync(), StringComparison.Ordinal);

        protocol.Broadcast(TestData.Levels(0), SerializationFormat.Json);
        protocol.Broadcast(TestData.Pitch(1), SerializationFormat.Json);
        Assert.Equal(DataType.PitchTracker, StreamingJson.Deserialize(await client.ReadFrameAsync()).DataType);
    }

    [Fact]
    public async Task Auth_WrongTokenIsRefusedAndClosed_RightTokenReceivesData()
    {
        await using var protocol = await StartAsync(new TcpProtocolOptions { AccessToken = "s3cret" });
        using var bad = await TcpFrameReader.ConnectAsync(protocol.Port);
        using var good = await TcpFrameReader.ConnectAsync(protocol.Port);

        await bad.SendLineAsync("""{"action":"auth","token":"nope"}""");
        await good.SendLineAsync("""{"action":"auth","token":"s3cret"}""");

        Assert.Contains("bearer token", await bad.ReadTextAsync(), StringComparison.Ordinal);
        Assert.Null(await bad.ReadFrameAsync());
        Assert.Contains("authenticated", await good.ReadTextAsync(), StringComparison.Ordinal);
        protocol.Broadcast(TestData.Levels(3), SerializationFormat.Json);
        Assert.Equal(3, StreamingJson.Deserialize(await good.ReadFrameAsync()).Metadata.SequenceNumber);
        Assert.Equal(1, protocol.GetStatistics().RejectedConnections);
    }

    [Fact]
    public async Task ClientResettingMidFrame_IsRemoved_AndOtherClientsKeepReceiving()
    {
        await using var protocol = await StartAsync();
        var leaver = await ConnectAsync(protocol);
        using var stayer = await ConnectAsync(protocol);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 2, "2 clients");

        protocol.Broadcast(TestData.Spectrum(0, 8193), SerializationFormat.Json);
        var partial = new byte[100];
        await leaver.Stream.ReadExactlyAsync(partial, Wait.Token());
        leaver.Client.Client.LingerState = new LingerOption(true, 0);
        leaver.Dispose();

        for (var i = 1; i <= 50; i++)
        {
            protocol.Broadcast(TestData.Levels(i), SerializationFormat.Json);
        }

        Assert.NotNull(await stayer.ReadFrameAsync());
        for (var i = 1; i <= 50; i++)
        {
            Assert.Equal(i, StreamingJson.Deserialize(await stayer.ReadFrameAsync()).Metadata.SequenceNumber);
        }

        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "reset client removed");
    }

    [Fact]
    public async Task StalledClient_DoesNotDelayOthers_AndItsQueueDropsOldest()
    {
        const int Messages = 400;
        await using var protocol = await StartAsync(new TcpProtocolOptions { QueueCapacity = 32, AdaptiveRate = false });
        using var stalled = await ConnectAsync(protocol);
        stalled.Client.ReceiveBufferSize = 4096;
        using var fast = await ConnectAsync(protocol);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 2, "2 clients");

        var received = 0;
        var reader = Task.Run(async () =>
        {
            var sequences = new List<long>();
            while (sequences.Count < Messages)
            {
                sequences.Add(StreamingJson.Deserialize(await fast.ReadFrameAsync()).Metadata.SequenceNumber);
                Interlocked.Increment(ref received);
            }

            return sequences;
        });
        var spectrum = TestData.Spectrum(0, 4097).Data;
        for (var i = 0; i < Messages; i++)
        {
            protocol.Broadcast(new StreamingData(TestData.Metadata(DataType.FftSpectrum, i), spectrum), SerializationFormat.Json);
            if (i % 8 == 7)
            {
                var target = i + 1 - 8;
                await Wait.UntilAsync(() => Volatile.Read(ref received) >= target, $"fast client reaches {target}");
            }
        }

        Assert.Equal(Enumerable.Range(0, Messages).Select(static i => (long)i), await reader);
        var statistics = protocol.GetStatistics().Clients;
        Assert.True(statistics.Max(c => c.Dropped) > 0);
        Assert.Equal(0, statistics.Min(c => c.Dropped));
    }

    [Fact]
    public async Task LineLongerThanLimit_GetsErrorReplyThenFin()
    {
        await using var protocol = await StartAsync(new TcpProtocolOptions { MaxInboundMessageBytes = 64 });
        using var client = await ConnectAsync(protocol);

        await client.SendLineAsync(new string('x', 500));

        Assert.Contains("limited to 64 bytes", await client.ReadTextAsync(), StringComparison.Ordinal);
        Assert.Null(await client.ReadFrameAsync());
    }

    [Fact]
    public async Task StopAsync_SendsFinAfterQueuedFrames_AndThePortCanBeReboundAtOnce()
    {
        var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol);
        var port = protocol.Port;
        protocol.Broadcast(TestData.Levels(1), SerializationFormat.Json);

        var stop = protocol.StopAsync(Wait.Token());
        Assert.Equal(1, StreamingJson.Deserialize(await client.ReadFrameAsync()).Metadata.SequenceNumber);
        Assert.Null(await client.ReadFrameAsync());
        client.Dispose();
        await stop;

        await using var again = new TcpProtocol("127.0.0.1", port);
        await again.StartAsync(Wait.Token());
        Assert.Equal(port, again.Port);
    }

    [Fact]
    public async Task StartAsync_OnPortInUse_ThrowsProtocolExceptionNamingThePort()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port;
        await using var protocol = new TcpProtocol("127.0.0.1", port);

        var error = await Assert.ThrowsAsync<ProtocolException>(() => protocol.StartAsync(Wait.Token()));

        Assert.Contains($"port {port} is already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_BeyondConnectionLimit_GetsErrorFrameAndFin()
    {
        await using var protocol = await StartAsync(new TcpProtocolOptions { MaxConnections = 1 });
        using var first = await ConnectAsync(protocol);
        using var second = await TcpFrameReader.ConnectAsync(protocol.Port);

        Assert.Contains("maximum of 1 clients", await second.ReadTextAsync(), StringComparison.Ordinal);
        Assert.Null(await second.ReadFrameAsync());
    }

    private static async Task<TcpProtocol> StartAsync(TcpProtocolOptions? options = null)
    {
        var protocol = new TcpProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());
        return protocol;
    }

    private static async Task<TcpFrameReader> ConnectAsync(TcpProtocol protocol)
    {
        var before = protocol.GetStatistics().AcceptedConnections;
        var client = await TcpFrameReader.ConnectAsync(protocol.Port);
        await Wait.UntilAsync(() => protocol.GetStatistics().AcceptedConnections > before, "TCP client registered");
        return client;
    }
}
