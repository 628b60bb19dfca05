using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Protocols;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.Udp;

namespace Friture.Streaming.Server.Tests.Udp;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class UdpProtocolTests
{
    [Fact]
    public async Task Broadcast_ToRegisteredClient_ArrivesAsOneDatagram()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var protocol = new UdpProtocol("127.0.0.1", 0);
        protocol.AddClient("127.0.0.1", ((IPEndPoint)receiver.Client.LocalEndPoint!).Port);
        await protocol.StartAsync(Wait.Token());

        protocol.Broadcast(TestData.Levels(11), SerializationFormat.Json);

        var datagram = await receiver.ReceiveAsync(Wait.Token());
        Assert.Equal(11, StreamingJson.Deserialize(datagram.Buffer).Metadata.SequenceNumber);
        Assert.Equal(protocol.Port, datagram.RemoteEndPoint.Port);
    }

    [Fact]
    public async Task AddClient_WithSubscription_ReceivesOnlyItsTypes()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var protocol = new UdpProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        protocol.AddClient("127.0.0.1", ((IPEndPoint)receiver.Client.LocalEndPoint!).Port, new ClientSubscription { Types = [DataType.PitchTracker] });

        protocol.Broadcast(TestData.Levels(1), SerializationFormat.Json);
        protocol.Broadcast(TestData.Pitch(2), SerializationFormat.Json);

        var datagram = await receiver.ReceiveAsync(Wait.Token());
        Assert.Equal(DataType.PitchTracker, StreamingJson.Deserialize(datagram.Buffer).DataType);
        Assert.Equal("pitch_tracker", Assert.Single(Assert.Single(protocol.GetStatistics().Clients).Types));
    }

    [Fact]
    public void Options_WithDatagramLimitAboveIpv4Maximum_AreRefusedNamingTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new UdpProtocol(options: new UdpProtocolOptions { MaxDatagramBytes = 70_000 }));

        Assert.Contains("MaxDatagramBytes is 70000", error.Message, StringComparison.Ordinal);
        Assert.Contains("65507", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_FreesThePortAtOnce()
    {
        var protocol = new UdpProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        var port = protocol.Port;

        await protocol.StopAsync(Wait.Token());

        using var rebound = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(port, ((IPEndPoint)rebound.Client.LocalEndPoint!).Port);
    }
}
