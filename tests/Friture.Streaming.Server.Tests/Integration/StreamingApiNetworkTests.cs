using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Protocols;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.Tests.WebSockets;
using Friture.Streaming.Server.Udp;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Server.Tests.Integration;

/// <summary>End to end: StreamingApi.Publish, NetworkConsumer, protocol, loopback socket, independent client.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class StreamingApiNetworkTests
{
    [Fact]
    public async Task Publish_ThroughNetworkConsumers_ReachesWebSocketAndTcpClientsInOrder()
    {
        await using var api = new StreamingApi();
        api.SetRateLimit(DataType.Levels, 0);
        var ws = new WebSocketProtocol("127.0.0.1", 0);
        var tcp = new TcpProtocol("127.0.0.1", 0);
        api.AddProtocol(ws);
        api.AddProtocol(tcp);
        api.RegisterConsumer(DataType.Levels, new NetworkConsumer(ws));
        api.RegisterConsumer(DataType.Levels, new NetworkConsumer(tcp, SerializationFormat.Json));
        await api.StartStreamingAsync(Wait.Token());
        Assert.True(ws.IsRunning && tcp.IsRunning);

        using var wsClient = await WsClient.ConnectAsync(ws.Port);
        using var tcpClient = await TcpFrameReader.ConnectAsync(tcp.Port);
        await Wait.UntilAsync(() => ws.GetStatistics().ConnectedClients == 1 && tcp.GetStatistics().ConnectedClients == 1, "clients registered");

        var payload = (LevelsData)TestData.Levels(0).Data;
        for (var i = 0; i < 50; i++)
        {
            Assert.True(api.Publish(DataType.Levels, payload, "e2e", streamTime: i * 0.01));
        }

        var wsSequences = await WebSocketProtocolTests.ReadSequencesAsync(wsClient, 50);
        var tcpSequences = new List<long>();
        for (var i = 0; i < 50; i++)
        {
            tcpSequences.Add(StreamingJson.Deserialize(await tcpClient.ReadFrameAsync()).Metadata.SequenceNumber);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(static i => (long)i), wsSequences);
        Assert.Equal(wsSequences, tcpSequences);

        // The API's statistics include every protocol's own figures, client by client.
        var protocols = api.GetStatistics().Protocols;
        Assert.Equal(["websocket", "tcp"], protocols.Select(static p => p.Name));
        Assert.All(protocols, p => Assert.Equal(1, p.ConnectedClients));
        Assert.All(protocols, p => Assert.Equal(50, p.MessagesSent));
        Assert.Contains("\"connected_clients\":1", api.GetStatistics().ToJson(), StringComparison.Ordinal);

        await api.StopStreamingAsync();
        Assert.Null(await WsClient.ReceiveAsync(wsClient));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, wsClient.CloseStatus);
        Assert.Null(await tcpClient.ReadFrameAsync());
        Assert.False(ws.IsRunning || tcp.IsRunning);
    }

    [Fact]
    public async Task StartStreaming_WithProtocolPortInUse_ThrowsProtocolExceptionNamingThePort()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port;
        await using var api = new StreamingApi();
        api.AddProtocol(new TcpProtocol("127.0.0.1", port));

        var error = await Assert.ThrowsAsync<ProtocolException>(() => api.StartStreamingAsync(Wait.Token()));

        Assert.Contains($"port {port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UdpOversize_SplittingOff_IsForwardedToTheApiErrorEvent()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var api = new StreamingApi();
        api.SetRateLimit(DataType.FftSpectrum, 0);
        var udp = new UdpProtocol("127.0.0.1", 0, new UdpProtocolOptions { MaxDatagramBytes = 2048, Resolution = ResolutionRequest.Full, SplitOversize = false });
        udp.AddClient("127.0.0.1", ((IPEndPoint)receiver.Client.LocalEndPoint!).Port);
        var errors = new List<string>();
        api.ErrorOccurred += (_, e) =>
        {
            lock (errors)
            {
                errors.Add(e.Message);
            }
        };
        api.AddProtocol(udp);
        api.RegisterConsumer(DataType.FftSpectrum, new NetworkConsumer(udp));
        await api.StartStreamingAsync(Wait.Token());

        api.Publish(DataType.FftSpectrum, TestData.Spectrum(0, 1025).Data, "e2e");

        await Wait.UntilAsync(() => udp.GetStatistics().OversizeMessages == 1, "oversize counted");
        await Wait.UntilAsync(() => { lock (errors) { return errors.Count == 1; } }, "error forwarded to the API");
        lock (errors)
        {
            Assert.Contains("2048 bytes", errors[0], StringComparison.Ordinal);
        }
    }
}
