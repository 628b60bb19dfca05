using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Server.Tests.Limits;

/// <summary>
/// Connection slots: the defaults accept 100 dashboard-style clients on one endpoint (the old limit of 64 refused 36),
/// a client that reads nothing is evicted only under pressure and only after StalledClientTimeout, and connections that
/// never authenticate hold no slot. Real Kestrel and sockets; the stall clock is a FakeTimeProvider.
/// </summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task WebSocket_HundredClientsFromOneAddress_AllAcceptedWithDefaults()
    {
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        var clients = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                clients.Add(await WsClient.ConnectAsync(protocol.Port, "?types=levels"));
            }

            await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 100, "100 connected clients");
            protocol.Broadcast(TestData.Levels(7), SerializationFormat.Json);

            foreach (var client in clients)
            {
                var message = await WsClient.ReceiveAsync(client);
                Assert.Equal(7, StreamingJson.Deserialize(message!.Value.Bytes).Metadata.SequenceNumber);
            }

            Assert.Equal(0, protocol.GetStatistics().RejectedConnections);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task WebSocket_PerAddressLimit_RefusesTheNextClientFromThatAddressWith503()
    {
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0, new WebSocketProtocolOptions { MaxConnectionsPerAddress = 2 });
        await protocol.StartAsync(Wait.Token());
        using var first = await WsClient.ConnectAsync(protocol.Port);
        using var second = await WsClient.ConnectAsync(protocol.Port);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WsClient.ConnectAsync(protocol.Port));

        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, protocol.GetStatistics().RejectedConnections);
    }

    [Fact]
    public async Task Tcp_SlotsFullOfAClientThatNeverReads_EvictedAfterStalledTimeoutToAdmitANewClient()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new TcpProtocolOptions { MaxConnections = 1, StalledClientTimeout = TimeSpan.FromSeconds(10), TimeProvider = clock, AdaptiveRate = false, QueueCapacity = 8 };
        await using var protocol = new TcpProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(IPAddress.Loopback, protocol.Port, Wait.Token());
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "the stalled client connected");

        // Large application messages (never reduced) until the socket buffers are full and the client's queue
        // overflows: its write is pending.
        var large = new string('x', 256 * 1024);
        await Wait.UntilAsync(() =>
        {
            protocol.SendData(large);
            return protocol.GetStatistics().Clients.Single().Dropped > 0;
        }, "the stalled client's queue overflowing");

        // Not stalled long enough yet: the newcomer is refused, the stalled client keeps its slot.
        using (var early = await TcpFrameReader.ConnectAsync(protocol.Port))
        {
            using var refusal = JsonDocument.Parse(await early.ReadTextAsync());
            Assert.Contains("maximum of 1 clients", refusal.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        clock.Advance(TimeSpan.FromSeconds(11));
        using var newcomer = await TcpFrameReader.ConnectAsync(protocol.Port);
        // Wait for the newcomer itself to hold the slot: the eviction is counted before the stalled client is removed.
        var newcomerPort = ":" + ((System.Net.IPEndPoint)newcomer.Client.Client.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Wait.UntilAsync(
            () =>
            {
                var now = protocol.GetStatistics();
                return now.EvictedConnections == 1 && now.Clients.Length == 1 && now.Clients[0].RemoteEndPoint.EndsWith(newcomerPort, StringComparison.Ordinal);
            },
            "the eviction and the newcomer's admission");
        protocol.Broadcast(TestData.Levels(999_999), SerializationFormat.Json);

        Assert.Equal(999_999, StreamingJson.Deserialize((await newcomer.ReadFrameAsync())!).Metadata.SequenceNumber);
        var statistics = protocol.GetStatistics();
        Assert.True(statistics.MessagesDropped > 0, "the evicted client's losses stay counted");
        Assert.Equal(1, statistics.ClientsWithDrops);
    }

    [Fact]
    public async Task Tcp_SixtyFourConnectionsThatNeverAuthenticate_DoNotLockOutAClientWithTheToken()
    {
        var options = new TcpProtocolOptions { AccessToken = "s3cret", MaxConnections = 64 };
        await using var protocol = new TcpProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());
        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < 64; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, protocol.Port, Wait.Token());
                silent.Add(socket);
            }

            using var client = await TcpFrameReader.ConnectAsync(protocol.Port);
            await client.SendLineAsync("""{"action":"auth","token":"s3cret"}""");

            using (var reply = JsonDocument.Parse(await client.ReadTextAsync()))
            {
                Assert.Equal("authenticated", reply.RootElement.GetProperty("type").GetString());
            }

            await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "the authenticated client holding a slot");
            protocol.Broadcast(TestData.Levels(3), SerializationFormat.Json);
            Assert.Equal(3, StreamingJson.Deserialize((await client.ReadFrameAsync())!).Metadata.SequenceNumber);
        }
        finally
        {
            foreach (var socket in silent)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task Tcp_PendingAuthenticationsOverTheLimit_TheOldestWaitingIsDisconnectedAndTheNewcomerGetsIn()
    {
        var options = new TcpProtocolOptions { AccessToken = "s3cret", MaxPendingAuthentications = 2 };
        await using var protocol = new TcpProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());
        var silent = new List<TcpFrameReader>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silent.Add(await TcpFrameReader.ConnectAsync(protocol.Port));
            }

            // Three waiting, two allowed: the one that waited longest is told why and disconnected.
            await Wait.UntilAsync(() => protocol.GetStatistics().RejectedConnections == 1, "one waiting connection displaced");
            using var client = await TcpFrameReader.ConnectAsync(protocol.Port);
            await client.SendLineAsync("""{"action":"auth","token":"s3cret"}""");

            using var accepted = JsonDocument.Parse(await client.ReadTextAsync());
            Assert.Equal("authenticated", accepted.RootElement.GetProperty("type").GetString());
            await Wait.UntilAsync(() => protocol.GetStatistics().RejectedConnections == 2, "a second waiting connection displaced by the newcomer");
            await Wait.UntilAsync(() => silent.Count(r => r.Client.Available > 0) == 2, "the two refusals arriving");
            var reasons = new List<string>();
            foreach (var reader in silent)
            {
                if (reader.Client.Available > 0)
                {
                    using var reply = JsonDocument.Parse(await reader.ReadTextAsync());
                    reasons.Add(reply.RootElement.GetProperty("message").GetString()!);
                }
            }

            Assert.Contains(reasons, r => r.Contains("MaxPendingAuthentications", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var reader in silent)
            {
                reader.Dispose();
            }
        }
    }
}
