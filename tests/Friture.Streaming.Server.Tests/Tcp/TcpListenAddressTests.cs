using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Tests.Support;

namespace Friture.Streaming.Server.Tests.Tcp;

/// <summary>TCP listens where the web server does: for localhost, 127.0.0.1 and [::1] on one port (it was 127.0.0.1 only).</summary>
public sealed class TcpListenAddressTests
{
    [Fact]
    public async Task StartAsync_Localhost_ListensOnBothLoopbacksOnOnePort()
    {
        if (!Socket.OSSupportsIPv6)
        {
            Assert.Skip("This system has no IPv6, so there is no [::1] to listen on.");
        }

        await using var protocol = new TcpProtocol("localhost", 0);
        await protocol.StartAsync(Wait.Token());

        using var v4 = new TcpClient(AddressFamily.InterNetwork);
        await v4.ConnectAsync(IPAddress.Loopback, protocol.Port, Wait.Token());
        using var v6 = new TcpClient(AddressFamily.InterNetworkV6);
        await v6.ConnectAsync(IPAddress.IPv6Loopback, protocol.Port, Wait.Token());
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 2, "both clients connected");
        protocol.Broadcast(TestData.Levels(1), SerializationFormat.Json);

        foreach (var client in new[] { v4, v6 })
        {
            var buffer = new byte[16];
            Assert.True(await client.GetStream().ReadAsync(buffer, Wait.Token()) > 0);
        }

        await protocol.StopAsync(Wait.Token());
        using var rebind = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        rebind.Bind(new IPEndPoint(IPAddress.IPv6Loopback, protocol.Port));
    }
}
