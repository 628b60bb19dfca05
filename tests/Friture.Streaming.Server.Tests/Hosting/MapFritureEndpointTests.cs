using System.Net;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Tests.Hosting;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class MapFritureEndpointTests
{
    [Fact]
    public async Task MapFritureWebSocketAndSse_InAnExistingApp_ServeTheStreamOnTheAppsPort()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        var ws = new WebSocketProtocol();
        var sse = new HttpSseProtocol();
        app.UseWebSockets();
        app.MapFritureWebSocket("/ws", ws);
        app.MapFritureSse("/events", sse);
        app.MapGet("/", () => "the app's own page");
        await app.StartAsync(Wait.Token());
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        await ws.StartAsync(Wait.Token());
        await sse.StartAsync(Wait.Token());

        using var socket = await WsClient.ConnectAsync(port, "ws?types=levels");
        var (status, events) = await SseReader.OpenAsync(port, "events");
        using (events)
        {
            await Wait.UntilAsync(() => ws.GetStatistics().ConnectedClients == 1 && sse.GetStatistics().ConnectedClients == 1, "clients");
            ws.Broadcast(TestData.Levels(4), SerializationFormat.Json);
            sse.Broadcast(TestData.Levels(5), SerializationFormat.Json);

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(4, StreamingJson.Deserialize((await WsClient.ReceiveAsync(socket))!.Value.Bytes).Metadata.SequenceNumber);
            Assert.Equal("levels:5", (await events!.ReadEventAsync())!.Value.Id);
            Assert.True(ws.IsMapped);
            Assert.Equal(0, ws.GetStatistics().Port);

            await ws.StopAsync(Wait.Token());
            await sse.StopAsync(Wait.Token());
            Assert.Null(await WsClient.ReceiveAsync(socket));
            Assert.Equal("{\"type\":\"stopping\",\"reason\":\"server stopping\"}", (await events.ReadEventAsync())!.Value.Data);
            Assert.Null(await events.ReadEventAsync());
        }

        using var http = new HttpClient();
        Assert.Equal("the app's own page", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), Wait.Token()));
        await app.StopAsync(Wait.Token());
    }
}
