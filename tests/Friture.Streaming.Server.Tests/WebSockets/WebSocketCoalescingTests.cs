using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Tests.WebSockets;

/// <summary>
/// One transport write per batch (CoalescingStream under the server's WebSocket), on real Kestrel and real sockets:
/// the frames of a batch arrive whole and in order, the handshake, control frames and close are unchanged.
/// </summary>
/// <remarks>
/// A batch of a known size is made without any test hook: the client first gets one message larger than the loopback
/// socket buffers can hold (16 MB) and does not read, so the send loop's write of it stays pending while the test queues
/// <see cref="BatchSize"/> more; when the client reads, the send loop takes those in one batch (MaxBatchSize is 32).
/// </remarks>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class WebSocketCoalescingTests
{
    private const int BatchSize = 20;
    private const int StallBytes = 16 * 1024 * 1024;

    [Fact]
    public async Task BatchOfTwenty_ClientWebSocket_ReceivesEveryFrameInOrder_FromOneTransportWrite()
    {
        await using var protocol = await StartAsync();
        using var client = await WsClient.ConnectAsync(protocol.Port);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");
        Assert.Equal(1, protocol.Endpoint.CoalescedConnections);
        Assert.Equal(1, protocol.Endpoint.SessionFramedConnections); // no deflate: the session frames the batch itself

        QueueBatchBehindAStalledWrite(protocol);

        var first = await WsClient.ReceiveAsync(client);
        Assert.Equal(StallBytes, first!.Value.Bytes.Length);
        for (var i = 0; i < BatchSize; i++)
        {
            var message = (await WsClient.ReceiveAsync(client))!.Value;
            AssertMessage(i, message.Type == WebSocketMessageType.Binary, message.Bytes);
        }

        // One write for the 16 MB message, one for the batch of 20 (per-message writes would make 21).
        Assert.Equal(2, protocol.Endpoint.TransportWrites);
        var statistics = protocol.GetStatistics().Clients[0];
        Assert.Equal(BatchSize + 1, statistics.Sent);
        Assert.Equal(1, statistics.Batches);
    }

    [Fact]
    public async Task BatchOfTwenty_RawTcpClient_SeesTheSameFramesByteForByte()
    {
        await using var protocol = await StartAsync();
        using var client = await RawWebSocket.ConnectAsync(protocol.Port);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");
        Assert.DoesNotContain("Sec-WebSocket-Extensions", client.ResponseHead, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", client.ResponseHead, StringComparison.OrdinalIgnoreCase);

        QueueBatchBehindAStalledWrite(protocol);

        var first = (await client.ReadFrameAsync())!.Value;
        Assert.Equal((RawWebSocket.Text, true, false, StallBytes), (first.Opcode, first.Fin, first.Compressed, first.Payload.Length));
        for (var i = 0; i < BatchSize; i++)
        {
            var frame = (await client.ReadFrameAsync())!.Value;
            Assert.True(frame.Fin);
            Assert.False(frame.Compressed);
            AssertMessage(i, frame.Opcode == RawWebSocket.Binary, frame.Payload);
        }

        Assert.Equal(2, protocol.Endpoint.TransportWrites);
    }

    [Fact]
    public async Task BatchOfTwenty_WithPermessageDeflate_ArrivesCompressedAndIntact_FromOneTransportWrite()
    {
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { EnableCompression = true, KeepAliveInterval = TimeSpan.Zero, AdaptiveRate = false });
        using var client = await WsClient.ConnectAsync(protocol.Port, configure: static o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");
        Assert.Contains("permessage-deflate", client.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single(), StringComparison.Ordinal);
        Assert.Equal(0, protocol.Endpoint.SessionFramedConnections); // deflate: the socket compresses and frames

        // Compressed, 16 MB of one character is small: stall with random text instead (it does not compress).
        protocol.SendData(Convert.ToBase64String(RandomNumberGenerator.GetBytes(StallBytes * 3 / 4)));
        QueueBatch(protocol);

        Assert.Equal(StallBytes, (await WsClient.ReceiveAsync(client))!.Value.Bytes.Length);
        for (var i = 0; i < BatchSize; i++)
        {
            var message = (await WsClient.ReceiveAsync(client))!.Value;
            AssertMessage(i, message.Type == WebSocketMessageType.Binary, message.Bytes);
        }

        Assert.Equal(2, protocol.Endpoint.TransportWrites);
    }

    [Fact]
    public async Task MappedEndpoint_InAnAppWithUseWebSockets_AlsoWritesABatchOnce()
    {
        var (app, protocol, port) = await StartMappedAsync();
        await using var _ = app;
        try
        {
            using var client = await RawWebSocket.ConnectAsync(port, "/ws");
            await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");

            QueueBatchBehindAStalledWrite(protocol);

            await ReadStalledMessageAndBatchAsync(client);

            Assert.Equal(1, protocol.Endpoint.CoalescedConnections);
            Assert.Equal(2, protocol.Endpoint.TransportWrites);
        }
        finally
        {
            await protocol.StopAsync(Wait.Token());
            await app.StopAsync(Wait.Token());
        }
    }

    [Fact]
    public async Task HostWithItsOwnWebSocketFeature_FallsBackToAcceptWebSocketAsync_AndStillDeliversTheBatchInOrder()
    {
        // Stands for a server or test host whose WebSocket feature is not ASP.NET Core's middleware.
        var (app, protocol, port) = await StartMappedAsync(app => app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpWebSocketFeature>() is { } feature)
            {
                context.Features.Set<IHttpWebSocketFeature>(new ForeignWebSocketFeature(feature));
            }

            return next(context);
        }));
        await using var _ = app;
        try
        {
            using var client = await RawWebSocket.ConnectAsync(port, "/ws");
            await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");

            QueueBatchBehindAStalledWrite(protocol);

            await ReadStalledMessageAndBatchAsync(client);

            Assert.Equal(0, protocol.Endpoint.CoalescedConnections);
            Assert.Equal(0, protocol.Endpoint.SessionFramedConnections);
            Assert.Equal(0, protocol.Endpoint.TransportWrites);
            Assert.Equal(1, protocol.GetStatistics().Clients[0].Batches);
        }
        finally
        {
            await protocol.StopAsync(Wait.Token());
            await app.StopAsync(Wait.Token());
        }
    }

    [Fact]
    public async Task Http2ExtendedConnect_OverTls_ReceivesTheBatchInOrder_FromOneTransportWrite()
    {
        using var certificate = TestCertificate.Create();
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0,
            new WebSocketProtocolOptions { Certificate = certificate, KeepAliveInterval = TimeSpan.Zero, AdaptiveRate = false });
        await protocol.StartAsync(Wait.Token());
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString();
        using var invoker = new HttpMessageInvoker(handler);
        using var client = new ClientWebSocket();
        client.Options.HttpVersion = HttpVersion.Version20;
        client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        await client.ConnectAsync(new Uri($"wss://127.0.0.1:{protocol.Port}/"), invoker, Wait.Token());
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");

        QueueBatchBehindAStalledWrite(protocol);

        Assert.Equal(StallBytes, (await WsClient.ReceiveAsync(client))!.Value.Bytes.Length);
        for (var i = 0; i < BatchSize; i++)
        {
            var message = (await WsClient.ReceiveAsync(client))!.Value;
            AssertMessage(i, message.Type == WebSocketMessageType.Binary, message.Bytes);
        }

        Assert.Equal(1, protocol.Endpoint.CoalescedConnections);
        Assert.Equal(2, protocol.Endpoint.TransportWrites);
    }

    [Fact]
    public async Task BadHandshakes_GetTheSameRefusals_WithAReasonAndNoStackTrace()
    {
        var options = new WebSocketProtocolOptions { AccessToken = "s3cret" };
        await using var protocol = await StartAsync(options);
        var port = protocol.Port;
        string Request(string headers) =>
            $"GET /?access_token=s3cret HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n{headers}\r\n";
        const string Key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

        var cases = new (string Request, int Status, string Reason)[]
        {
            (Request(Key + "Sec-WebSocket-Version: 8\r\n"), 400, "speaks WebSocket"),
            (Request("Sec-WebSocket-Version: 13\r\n"), 400, "speaks WebSocket"),
            (Request("Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n"), 400, "speaks WebSocket"),
            (Request(Key + "Sec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n"), 403, "not allowed"),
            (Request(Key + "Sec-WebSocket-Version: 13\r\n").Replace("s3cret", "wrong", StringComparison.Ordinal), 401, "bearer token"),
            (Request(Key + "Sec-WebSocket-Version: 13\r\n").Replace("/?", "/?types=nope&", StringComparison.Ordinal), 400, "nope"),
            (Request(Key + "Sec-WebSocket-Version: 13\r\n").Replace("127.0.0.1:" + port, "evil.example", StringComparison.Ordinal), 400, "not allowed"),
        };

        foreach (var (request, status, reason) in cases)
        {
            var response = await RawWebSocket.RequestAsync(port, request);
            Assert.Equal(status, response.Status);
            Assert.Contains(reason, response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Sec-WebSocket-Accept", response.Head, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(cases.Length, protocol.GetStatistics().RejectedConnections);
        Assert.Equal(0, protocol.Endpoint.CoalescedConnections);
        using var good = await RawWebSocket.ConnectAsync(port, "/?access_token=s3cret");
        await Wait.UntilAsync(() => protocol.Endpoint.CoalescedConnections == 1, "good handshake accepted");
    }

    [Fact]
    public async Task Idle_PingIsAnsweredAtOnce_KeepAliveFramesFlow_AndCloseIsEchoed()
    {
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(100) });
        using var client = await RawWebSocket.ConnectAsync(protocol.Port);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");

        // The server's keep-alive (an unsolicited pong every KeepAliveInterval) goes out while no batch is open.
        var keepAlive = (await client.ReadFrameAsync())!.Value;
        Assert.Equal((RawWebSocket.Pong, true), (keepAlive.Opcode, keepAlive.Fin));
        Assert.Empty(keepAlive.Payload);

        await client.SendFrameAsync(RawWebSocket.Ping, "are you there"u8.ToArray());
        (int Opcode, bool Fin, bool Compressed, byte[] Payload) reply;
        do
        {
            reply = (await client.ReadFrameAsync())!.Value;
        }
        while (reply.Opcode == RawWebSocket.Pong && reply.Payload.Length == 0);

        Assert.Equal(RawWebSocket.Pong, reply.Opcode);
        Assert.Equal("are you there", Encoding.UTF8.GetString(reply.Payload));

        await client.SendFrameAsync(RawWebSocket.Close, RawWebSocket.ClosePayload(1000, "done"));
        var close = await client.ReadDataFrameAsync();
        Assert.Equal(RawWebSocket.Close, close!.Value.Opcode);
        Assert.Equal(1000, (close.Value.Payload[0] << 8) | close.Value.Payload[1]);
        Assert.Equal("bye", Encoding.UTF8.GetString(close.Value.Payload.AsSpan(2)));
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 0, "client removed");
    }

    [Fact]
    public async Task PingsWhileBatchesAreWritten_EveryPongAndEveryFrameArrivesWhole_AndBatchesCostOneWriteEach()
    {
        const int Messages = 600;
        const int Pings = 40;
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { QueueCapacity = 1024, KeepAliveInterval = TimeSpan.Zero, AdaptiveRate = false });
        using var client = await RawWebSocket.ConnectAsync(protocol.Port, "/?resolution=full");
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");

        // About 70 kB per message, 42 MB in all: the client does not read at first, so the send loop falls behind and
        // batches (up to 32 messages, about 2.2 MB, written in pieces of at most 256 kB: three messages a write).
        var spectrum = TestData.Spectrum(0, 2049);
        var pongs = new List<string>();
        var sequences = new List<long>();
        for (var i = 0; i < Messages / 2; i++)
        {
            protocol.Broadcast(new StreamingData(TestData.Metadata(DataType.FftSpectrum, i), spectrum.Data), SerializationFormat.Json);
        }

        for (var p = 0; p < Pings / 2; p++)
        {
            await client.SendFrameAsync(RawWebSocket.Ping, Encoding.ASCII.GetBytes($"p{p}"));
        }

        var reader = Task.Run(async () =>
        {
            while (sequences.Count < Messages || pongs.Count < Pings)
            {
                var frame = (await client.ReadFrameAsync())!.Value;
                Assert.True(frame.Fin);
                if (frame.Opcode == RawWebSocket.Pong)
                {
                    pongs.Add(Encoding.ASCII.GetString(frame.Payload));
                    continue;
                }

                Assert.Equal(RawWebSocket.Text, frame.Opcode);
                using var document = JsonDocument.Parse(frame.Payload);
                sequences.Add(document.RootElement.GetProperty("metadata").GetProperty("sequence_number").GetInt64());
            }
        });

        var nextPing = Pings / 2;
        for (var i = Messages / 2; i < Messages; i++)
        {
            protocol.Broadcast(new StreamingData(TestData.Metadata(DataType.FftSpectrum, i), spectrum.Data), SerializationFormat.Json);
            if (i % 15 == 0 && nextPing < Pings)
            {
                await client.SendFrameAsync(RawWebSocket.Ping, Encoding.ASCII.GetBytes($"p{nextPing++}"));
            }
        }

        await reader.WaitAsync(Wait.Token());
        Assert.Equal(Enumerable.Range(0, Messages).Select(static i => (long)i), sequences);
        Assert.Equal(Enumerable.Range(0, Pings).Select(static p => $"p{p}"), pongs);
        var statistics = protocol.GetStatistics().Clients[0];
        Assert.True(statistics.Batches > 0, "the send loop never batched");
        Assert.Equal(0, statistics.Dropped);
        Assert.True(protocol.Endpoint.TransportWrites < Messages, $"{protocol.Endpoint.TransportWrites} transport writes for {Messages} messages");
    }

    /// <summary>Message i of the batch: even ones are JSON levels, odd ones binary levels (a batch mixes text and binary frames).</summary>
    private static void QueueBatch(WebSocketProtocol protocol)
    {
        for (var i = 0; i < BatchSize; i++)
        {
            protocol.Broadcast(TestData.Levels(i), i % 2 == 0 ? SerializationFormat.Json : SerializationFormat.Binary);
        }
    }

    private static void QueueBatchBehindAStalledWrite(WebSocketProtocol protocol)
    {
        protocol.SendData(new string('x', StallBytes));
        QueueBatch(protocol);
    }

    // An application that maps the endpoint itself (UseWebSockets, then MapFritureWebSocket), started on a free port,
    // with the protocol started; beforeMap adds middleware between the two.
    private static async Task<(WebApplication App, WebSocketProtocol Protocol, int Port)> StartMappedAsync(Action<WebApplication>? beforeMap = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var protocol = new WebSocketProtocol(options: new WebSocketProtocolOptions { KeepAliveInterval = TimeSpan.Zero, AdaptiveRate = false });
        app.UseWebSockets();
        beforeMap?.Invoke(app);
        app.MapFritureWebSocket("/ws", protocol);
        await app.StartAsync(Wait.Token());
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        await protocol.StartAsync(Wait.Token());
        return (app, protocol, port);
    }

    // The large message that held the send loop, then the batch queued behind it: whole and in order.
    private static async Task ReadStalledMessageAndBatchAsync(RawWebSocket client)
    {
        Assert.Equal(StallBytes, (await client.ReadFrameAsync())!.Value.Payload.Length);
        for (var i = 0; i < BatchSize; i++)
        {
            var frame = (await client.ReadFrameAsync())!.Value;
            AssertMessage(i, frame.Opcode == RawWebSocket.Binary, frame.Payload);
        }
    }

    private static void AssertMessage(int index, bool binary, byte[] bytes)
    {
        Assert.Equal(index % 2 == 1, binary);
        var data = binary ? BinaryFrame.Read(bytes).Data : StreamingJson.Deserialize(bytes).Data;
        Assert.IsType<LevelsData>(data);
        var sequence = binary ? BinaryFrame.Read(bytes).Metadata.SequenceNumber : StreamingJson.Deserialize(bytes).Metadata.SequenceNumber;
        Assert.Equal(index, sequence);
    }

    private static async Task<WebSocketProtocol> StartAsync(WebSocketProtocolOptions? options = null)
    {
        options ??= new WebSocketProtocolOptions { KeepAliveInterval = TimeSpan.Zero, AdaptiveRate = false };
        var protocol = new WebSocketProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());
        return protocol;
    }

    private sealed class ForeignWebSocketFeature(IHttpWebSocketFeature inner) : IHttpWebSocketFeature
    {
        public bool IsWebSocketRequest => inner.IsWebSocketRequest;

        public Task<WebSocket> AcceptAsync(WebSocketAcceptContext context) => inner.AcceptAsync(context);
    }
}
