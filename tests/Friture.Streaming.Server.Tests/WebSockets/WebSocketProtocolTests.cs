using System.Net;
using System.Net.WebSockets;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Server.Tests.WebSockets;

public sealed class WebSocketProtocolTests
{
    [Fact]
    public async Task Broadcast_JsonToConnectedClient_ArrivesAsTextFrameWithEnvelope()
    {
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        using var client = await WsClient.ConnectAsync(protocol.Port);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");

        protocol.Broadcast(TestData.Levels(7), SerializationFormat.Json);

        var message = await WsClient.ReceiveAsync(client);
        Assert.NotNull(message);
        Assert.Equal(WebSocketMessageType.Text, message.Value.Type);
        var data = StreamingJson.Deserialize(message.Value.Bytes);
        Assert.Equal(DataType.Levels, data.DataType);
        Assert.Equal(7, data.Metadata.SequenceNumber);
    }
}
