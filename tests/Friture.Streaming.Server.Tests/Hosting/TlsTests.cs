using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Server.Tests.Hosting;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class TlsTests
{
    [Fact]
    public async Task Certificate_Configured_ServesWssAndHttps()
    {
        using var certificate = TestCertificate.Create();
        await using var ws = new WebSocketProtocol("127.0.0.1", 0, new WebSocketProtocolOptions { Certificate = certificate });
        await using var sse = new HttpSseProtocol("127.0.0.1", 0, new HttpSseProtocolOptions { Certificate = certificate });
        await ws.StartAsync(Wait.Token());
        await sse.StartAsync(Wait.Token());

        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString();
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{ws.Port}/"), Wait.Token());
        await Wait.UntilAsync(() => ws.GetStatistics().ConnectedClients == 1, "wss client registered");
        ws.Broadcast(TestData.Levels(2), SerializationFormat.Json);
        Assert.Equal(2, StreamingJson.Deserialize((await WsClient.ReceiveAsync(socket))!.Value.Bytes).Metadata.SequenceNumber);

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString(),
        };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri($"https://127.0.0.1:{sse.Port}/"), HttpCompletionOption.ResponseHeadersRead, Wait.Token());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);

        using var plain = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"http://127.0.0.1:{sse.Port}/"), Wait.Token()));
    }
}
