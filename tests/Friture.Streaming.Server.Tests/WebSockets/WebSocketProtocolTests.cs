using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Protocols;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Server.Tests.WebSockets;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class WebSocketProtocolTests
{
    [Fact]
    public async Task Broadcast_JsonToConnectedClient_ArrivesAsTextFrameWithEnvelope()
    {
        await using var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol);

        protocol.Broadcast(TestData.Levels(7), SerializationFormat.Json);

        var message = await WsClient.ReceiveAsync(client);
        Assert.NotNull(message);
        Assert.Equal(WebSocketMessageType.Text, message.Value.Type);
        var data = StreamingJson.Deserialize(message.Value.Bytes);
        Assert.Equal(DataType.Levels, data.DataType);
        Assert.Equal(7, data.Metadata.SequenceNumber);
    }

    [Fact]
    public async Task Broadcast_BinaryFormat_ArrivesAsBinaryFrameThatDecodesToTheSameSpectrum()
    {
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { Resolution = ResolutionRequest.Full });
        using var client = await ConnectAsync(protocol);
        var sent = TestData.Spectrum(3, 1025);

        protocol.Broadcast(sent, SerializationFormat.Binary);

        var message = await WsClient.ReceiveAsync(client);
        Assert.NotNull(message);
        Assert.Equal(WebSocketMessageType.Binary, message.Value.Type);
        Assert.True(message.Value.Bytes.Length < StreamingJson.SerializeToUtf8Bytes(sent).Length / 2);
        var received = Assert.IsType<FftSpectrumData>(BinaryFrame.Read(message.Value.Bytes).Data);
        Assert.Equal(((FftSpectrumData)sent.Data).MagnitudesDb, received.MagnitudesDb);
        Assert.Equal(((FftSpectrumData)sent.Data).Frequencies, received.Frequencies);
    }

    [Fact]
    public async Task Broadcast_MessageThatCannotBeEncoded_IsLeftOutAndReportedOnce_TheClientsStayAndGetTheNext()
    {
        await using var protocol = await StartAsync();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<ProtocolErrorEventArgs>();
        protocol.ErrorOccurred += (_, e) => errors.Enqueue(e);
        using var first = await ConnectAsync(protocol);
        using var second = await ConnectAsync(protocol);

        protocol.Broadcast(Clients.OutboundMessageTests.NotFinitePitch(1), SerializationFormat.Json);
        protocol.Broadcast(TestData.Levels(2), SerializationFormat.Json);

        foreach (var client in new[] { first, second })
        {
            var data = StreamingJson.Deserialize((await WsClient.ReceiveAsync(client))!.Value.Bytes);
            Assert.Equal(DataType.Levels, data.DataType);
            Assert.Equal(2, data.Metadata.SequenceNumber);
            Assert.Equal(WebSocketState.Open, client.State);
        }

        var error = Assert.Single(errors);
        Assert.Contains("could not encode pitch_tracker message #1", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Exception);
        var statistics = protocol.GetStatistics();
        Assert.Equal(2, statistics.Clients.Length);
        Assert.All(statistics.Clients, c => Assert.Equal(1L, c.Dropped));
    }

    [Fact]
    public async Task Connect_WithTypesQuery_ReceivesOnlySubscribedTypes()
    {
        await using var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol, "?types=levels");

        protocol.Broadcast(TestData.Pitch(0), SerializationFormat.Json);
        protocol.Broadcast(TestData.Levels(1), SerializationFormat.Json);

        var data = StreamingJson.Deserialize((await WsClient.ReceiveAsync(client))!.Value.Bytes);
        Assert.Equal(DataType.Levels, data.DataType);
        Assert.Equal(["levels"], protocol.GetStatistics().Clients[0].Types);
    }

    [Fact]
    public async Task Connect_WithUnknownType_IsRefusedWith400NamingTheType()
    {
        await using var protocol = await StartAsync();
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() =>
            client.ConnectAsync(new Uri($"ws://127.0.0.1:{protocol.Port}/?types=nope"), Wait.Token()));

        Assert.Equal(HttpStatusCode.BadRequest, client.HttpStatusCode);
    }

    [Fact]
    public async Task ControlMessage_SubscribeThenMalformed_RepliesAndConnectionStaysUsable()
    {
        await using var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol);

        await WsClient.SendTextAsync(client, """{"action":"subscribe","types":["pitch_tracker"],"rate":0}""");
        using (var reply = await WsClient.ReceiveJsonAsync(client))
        {
            Assert.Equal("subscribed", reply.RootElement.GetProperty("type").GetString());
            Assert.Equal("pitch_tracker", reply.RootElement.GetProperty("types")[0].GetString());
            Assert.Equal(25, reply.RootElement.GetProperty("linger_ms").GetDouble());
        }

        await WsClient.SendTextAsync(client, """{"action":"subscribe","types":["pitch_tracker"],"linger_ms":0}""");
        using (var reply = await WsClient.ReceiveJsonAsync(client))
        {
            Assert.Equal(0, reply.RootElement.GetProperty("linger_ms").GetDouble());
        }

        await WsClient.SendTextAsync(client, "{not json");
        using (var error = await WsClient.ReceiveJsonAsync(client))
        {
            Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        }

        await WsClient.SendTextAsync(client, """{"action":"subscribe","types":["bogus"]}""");
        using (var error = await WsClient.ReceiveJsonAsync(client))
        {
            Assert.Contains("bogus", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        await WsClient.SendTextAsync(client, """{"action":"ping"}""");
        using (var pong = await WsClient.ReceiveJsonAsync(client))
        {
            Assert.Equal("pong", pong.RootElement.GetProperty("type").GetString());
        }

        protocol.Broadcast(TestData.Levels(0), SerializationFormat.Json);
        protocol.Broadcast(TestData.Pitch(1), SerializationFormat.Json);
        var data = StreamingJson.Deserialize((await WsClient.ReceiveAsync(client))!.Value.Bytes);
        Assert.Equal(DataType.PitchTracker, data.DataType);
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Connect_WithBadToken_IsRefusedWith401_AndGoodTokenInHeaderOrQueryIsAccepted()
    {
        var options = new WebSocketProtocolOptions { AccessToken = "s3cret" };
        await using var protocol = await StartAsync(options);

        using var none = new ClientWebSocket();
        none.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => none.ConnectAsync(Uri(protocol, "?access_token=wrong"), Wait.Token()));
        Assert.Equal(HttpStatusCode.Unauthorized, none.HttpStatusCode);

        using var header = await WsClient.ConnectAsync(protocol.Port, configure: o => o.SetRequestHeader("Authorization", "Bearer s3cret"));
        using var query = await WsClient.ConnectAsync(protocol.Port, "?access_token=s3cret");
        Assert.Equal(WebSocketState.Open, header.State);
        Assert.Equal(WebSocketState.Open, query.State);
        Assert.Equal(1, protocol.GetStatistics().RejectedConnections);
    }

    [Fact]
    public async Task Connect_FromForeignOrigin_IsRefusedWith403_WhileSameOriginAndListedOriginsAreAccepted()
    {
        var options = new WebSocketProtocolOptions();
        options.AllowedOrigins.Add("http://dashboard.test");
        await using var protocol = await StartAsync(options);

        using var foreign = new ClientWebSocket();
        foreign.Options.CollectHttpResponseDetails = true;
        foreign.Options.SetRequestHeader("Origin", "http://evil.test");
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(Uri(protocol), Wait.Token()));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        using var same = await WsClient.ConnectAsync(protocol.Port, configure: o => o.SetRequestHeader("Origin", $"http://127.0.0.1:{protocol.Port}"));
        using var listed = await WsClient.ConnectAsync(protocol.Port, configure: o => o.SetRequestHeader("Origin", "http://dashboard.test"));
        using var nonBrowser = await WsClient.ConnectAsync(protocol.Port);
        Assert.All(new[] { same, listed, nonBrowser }, s => Assert.Equal(WebSocketState.Open, s.State));
    }

    [Fact]
    public async Task Connect_BeyondConnectionLimit_IsRefusedWith503()
    {
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { MaxConnections = 2 });
        using var first = await WsClient.ConnectAsync(protocol.Port);
        using var second = await WsClient.ConnectAsync(protocol.Port);

        using var third = new ClientWebSocket();
        third.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(Uri(protocol), Wait.Token()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
    }

    [Fact]
    public async Task InboundMessage_LargerThanLimit_ClosesWithMessageTooBig()
    {
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { MaxInboundMessageBytes = 128 });
        using var client = await ConnectAsync(protocol);

        await WsClient.SendTextAsync(client, new string(' ', 1000));

        Assert.Null(await WsClient.ReceiveAsync(client));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
    }

    [Fact]
    public async Task TwentyClients_EachReadingAtItsOwnPace_EachReceiveEverythingInOrder()
    {
        const int Clients = 20;
        const int Messages = 200;
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { QueueCapacity = 1024, MaxConnections = 32 });
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < Clients; i++)
        {
            sockets.Add(await WsClient.ConnectAsync(protocol.Port));
        }

        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == Clients, "20 clients registered");
        var readers = sockets.Select((socket, index) => ReadSequencesAsync(socket, Messages, pauseEvery: 1 + index, pause: TimeSpan.FromMilliseconds(index % 5))).ToArray();

        for (var i = 0; i < Messages; i++)
        {
            protocol.Broadcast(TestData.Levels(i), SerializationFormat.Json);
        }

        var received = await Task.WhenAll(readers);
        foreach (var sequences in received)
        {
            Assert.Equal(Enumerable.Range(0, Messages).Select(static i => (long)i), sequences);
        }

        var statistics = protocol.GetStatistics();
        Assert.All(statistics.Clients, c => Assert.Equal(0, c.Dropped));
        Assert.Equal(Clients * Messages, statistics.MessagesSent);
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StalledClient_StepsDownOrDropsOldest_WhileOthersReceiveEverything(bool adaptive)
    {
        const int Messages = 600;
        var options = new WebSocketProtocolOptions { QueueCapacity = 64, AdaptiveRate = adaptive, Resolution = ResolutionRequest.Full };
        await using var protocol = await StartAsync(options);
        using var stalled = await WsClient.ConnectAsync(protocol.Port, "?types=fft_spectrum");
        var fast = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++)
        {
            fast.Add(await WsClient.ConnectAsync(protocol.Port));
        }

        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 4, "4 clients registered");
        var counts = new int[fast.Count];
        var readers = fast.Select((socket, index) => ReadSequencesAsync(socket, Messages, onMessage: () => Interlocked.Increment(ref counts[index]))).ToArray();

        var spectrum = TestData.Spectrum(0, 2049);
        for (var i = 0; i < Messages; i++)
        {
            protocol.Broadcast(new StreamingData(TestData.Metadata(DataType.FftSpectrum, i), spectrum.Data), SerializationFormat.Json);
            if (i % 16 == 15)
            {
                // Pace the producer on the fast clients only (like a real-time source); the stalled one never reads.
                var target = i + 1 - 16;
                await Wait.UntilAsync(() => counts.All(c => Volatile.Read(ref c) >= target), $"fast clients reach {target}");
            }
        }

        var received = await Task.WhenAll(readers);
        Assert.All(received, sequences => Assert.Equal(Enumerable.Range(0, Messages).Select(static i => (long)i), sequences));
        var statistics = protocol.GetStatistics();
        var slow = statistics.Clients.Single(c => c.Types.Length == 1);
        if (adaptive)
        {
            // The adaptive divisor thins the stalled client's stream (skipped, not queued) instead of overflowing its queue.
            Assert.True(slow.RateDivisor > 1, $"stalled client's divisor is {slow.RateDivisor}");
            Assert.True(slow.Skipped > 0, $"stalled client skipped {slow.Skipped}");
        }
        else
        {
            Assert.True(slow.Dropped > 0, $"stalled client dropped {slow.Dropped}");
            Assert.Equal(1, slow.RateDivisor);
        }
        Assert.All(statistics.Clients.Where(c => c.Types.Length == 0), c => Assert.Equal(0, c.Dropped));
        foreach (var socket in fast)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task StalledClient_WithDisconnectPolicy_IsClosedWhileOthersKeepReceiving()
    {
        var options = new WebSocketProtocolOptions { QueueCapacity = 8, OverflowPolicy = ClientOverflowPolicy.Disconnect, AdaptiveRate = false };
        await using var protocol = await StartAsync(options);
        // Full resolution (about 140 kB per message, 56 MB in all): the send loop writes on the broadcasting thread until
        // the socket's buffers are full, so the queue only overflows once the client has stopped taking bytes.
        using var stalled = await WsClient.ConnectAsync(protocol.Port, "?resolution=full");
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "stalled client registered");

        var spectrum = TestData.Spectrum(0, 4097);
        for (var i = 0; i < 400 && protocol.GetStatistics().ConnectedClients > 0; i++)
        {
            protocol.Broadcast(spectrum, SerializationFormat.Json);
            if (i % 20 == 19)
            {
                await Task.Yield();
            }
        }

        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 0, "stalled client disconnected");
        using var next = await ConnectAsync(protocol);
        protocol.Broadcast(TestData.Levels(1), SerializationFormat.Json);
        Assert.NotNull(await WsClient.ReceiveAsync(next));
        Assert.True(protocol.GetStatistics().MessagesDropped >= 1);
    }

    [Fact]
    public async Task ClientAbortingMidMessage_IsRemoved_AndOtherClientsKeepReceiving()
    {
        await using var protocol = await StartAsync();
        var leaver = await WsClient.ConnectAsync(protocol.Port);
        using var stayer = await WsClient.ConnectAsync(protocol.Port);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 2, "2 clients registered");

        protocol.Broadcast(TestData.Spectrum(0, 8193), SerializationFormat.Json);
        var partial = await leaver.ReceiveAsync(new byte[1024], Wait.Token());
        Assert.False(partial.EndOfMessage);
        leaver.Abort();
        leaver.Dispose();

        for (var i = 1; i <= 50; i++)
        {
            protocol.Broadcast(TestData.Levels(i), SerializationFormat.Json);
        }

        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "aborted client removed");
        var sequences = await ReadSequencesAsync(stayer, 51);
        Assert.Equal(50, sequences[^1]);
    }

    [Fact]
    public async Task StopAsync_SendsCloseFrameAndFreesThePortAtOnce()
    {
        var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol);
        var port = protocol.Port;

        var receive = WsClient.ReceiveAsync(client);
        await protocol.StopAsync(Wait.Token());

        Assert.Null(await receive);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        Assert.False(protocol.IsRunning);
    }

    [Fact]
    public async Task StartAsync_OnPortInUse_ThrowsProtocolExceptionNamingThePort()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port;
        await using var protocol = new WebSocketProtocol("127.0.0.1", port);

        var error = await Assert.ThrowsAsync<ProtocolException>(() => protocol.StartAsync(Wait.Token()));

        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        Assert.False(protocol.IsRunning);
    }

    [Fact]
    public async Task Compression_WhenEnabledAndOffered_NegotiatesPermessageDeflate()
    {
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { EnableCompression = true });
        using var client = await WsClient.ConnectAsync(protocol.Port, configure: o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");

        var sent = TestData.Spectrum(9, 2049);
        protocol.Broadcast(sent, SerializationFormat.Json);

        var message = await WsClient.ReceiveAsync(client);
        Assert.Contains("permessage-deflate", client.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single(), StringComparison.Ordinal);
        Assert.Equal(9, StreamingJson.Deserialize(message!.Value.Bytes).Metadata.SequenceNumber);
        var wire = protocol.GetStatistics().Clients[0].BytesSent;
        Assert.True(wire > 0);
    }

    [Fact]
    public async Task BatchingClient_FallenBehind_ReceivesJsonArraysHoldingEveryMessage()
    {
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { QueueCapacity = 1024, AdaptiveRate = false });
        // Full resolution, 4097 bins (about 140 kB per message, 42 MB in all): more than the socket's buffers hold while the
        // client is not reading, so the send loop (which writes on the broadcasting thread) falls behind and batches.
        using var client = await WsClient.ConnectAsync(protocol.Port, "?batch=1&resolution=full");
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1, "client registered");

        for (var i = 0; i < 300; i++)
        {
            protocol.Broadcast(TestData.Spectrum(i, 4097), SerializationFormat.Json);
        }

        var sequences = new List<long>();
        var frames = 0;
        while (sequences.Count < 300)
        {
            var message = await WsClient.ReceiveAsync(client);
            frames++;
            using var document = JsonDocument.Parse(message!.Value.Bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                sequences.AddRange(document.RootElement.EnumerateArray().Select(static e => e.GetProperty("metadata").GetProperty("sequence_number").GetInt64()));
            }
            else
            {
                sequences.Add(document.RootElement.GetProperty("metadata").GetProperty("sequence_number").GetInt64());
            }
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(static i => (long)i), sequences);
        Assert.True(frames < 300, $"{frames} frames for 300 messages");
        Assert.True(protocol.GetStatistics().Clients[0].Batches > 0);
    }

    [Fact]
    public async Task RateQuery_WithFakeClock_LimitsOneClientWhileTheOtherGetsEverything()
    {
        var clock = new FakeTimeProvider();
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { TimeProvider = clock, QueueCapacity = 1024, AdaptiveRate = false });
        using var limited = await WsClient.ConnectAsync(protocol.Port, "?rate=10");
        using var full = await WsClient.ConnectAsync(protocol.Port);
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 2, "2 clients registered");

        for (var i = 0; i < 100; i++)
        {
            protocol.Broadcast(TestData.Levels(i), SerializationFormat.Json);
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        protocol.SendData("""{"type":"end"}""");
        var limitedCount = await CountUntilEndAsync(limited);
        var fullCount = await CountUntilEndAsync(full);

        Assert.Equal(100, fullCount);
        Assert.InRange(limitedCount, 10, 13);
        var statistics = protocol.GetStatistics().Clients.Single(c => c.RequestedRateHz == 10);
        Assert.Equal(10, statistics.EffectiveRateHz);
        Assert.Equal(100 - limitedCount, statistics.Skipped);
    }

    [Fact]
    public async Task TwentyClients_EachWithItsOwnRate_OnAFakeClock_EachReceiveTheirRate()
    {
        const int Clients = 20;
        var clock = new FakeTimeProvider();
        await using var protocol = await StartAsync(new WebSocketProtocolOptions { TimeProvider = clock, QueueCapacity = 1024, AdaptiveRate = false });
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < Clients; i++)
        {
            sockets.Add(await WsClient.ConnectAsync(protocol.Port, $"?types=levels&rate={5 * (i + 1)}"));
        }

        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == Clients, "20 clients registered");

        // 200 messages at 100 Hz on the fake clock: 2 s of stream.
        for (var i = 0; i < 200; i++)
        {
            protocol.Broadcast(TestData.Levels(i), SerializationFormat.Json);
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        protocol.SendData("""{"type":"end"}""");
        var counts = await Task.WhenAll(sockets.Select(CountUntilEndAsync));
        for (var i = 0; i < Clients; i++)
        {
            var rate = 5 * (i + 1);
            var expected = Math.Min(200, 2 * rate);
            Assert.InRange(counts[i], expected, Math.Min(200, expected + 3));
        }

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task SendData_ApplicationMessage_ReachesEveryClientWhateverItsSubscription()
    {
        await using var protocol = await StartAsync();
        using var client = await ConnectAsync(protocol, "?types=pitch_tracker");

        protocol.SendData("""{"type":"pitch_update","frequency":440.0}""");

        var message = await WsClient.ReceiveAsync(client);
        Assert.Equal("""{"type":"pitch_update","frequency":440.0}""", Encoding.UTF8.GetString(message!.Value.Bytes));
    }

    private static async Task<int> CountUntilEndAsync(ClientWebSocket socket)
    {
        var count = 0;
        while (true)
        {
            using var document = await WsClient.ReceiveJsonAsync(socket);
            if (document.RootElement.TryGetProperty("type", out var type) && type.GetString() == "end")
            {
                return count;
            }

            count++;
        }
    }

    internal static async Task<List<long>> ReadSequencesAsync(ClientWebSocket socket, int count, int pauseEvery = 0, TimeSpan pause = default, Action? onMessage = null)
    {
        var sequences = new List<long>(count);
        while (sequences.Count < count)
        {
            var message = await WsClient.ReceiveAsync(socket) ?? throw new InvalidOperationException($"closed after {sequences.Count} messages");
            using var document = JsonDocument.Parse(message.Bytes);
            sequences.Add(document.RootElement.GetProperty("metadata").GetProperty("sequence_number").GetInt64());
            onMessage?.Invoke();
            if (pauseEvery > 0 && pause > TimeSpan.Zero && sequences.Count % pauseEvery == 0)
            {
                // Simulates a client that processes slowly: pacing, not synchronisation.
                await Task.Delay(pause);
            }
        }

        return sequences;
    }

    private static Uri Uri(WebSocketProtocol protocol, string query = "") => new($"ws://127.0.0.1:{protocol.Port}/{query}");

    private static async Task<WebSocketProtocol> StartAsync(WebSocketProtocolOptions? options = null)
    {
        var protocol = new WebSocketProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());
        return protocol;
    }

    private static async Task<ClientWebSocket> ConnectAsync(WebSocketProtocol protocol, string query = "")
    {
        var before = protocol.GetStatistics().AcceptedConnections;
        var client = await WsClient.ConnectAsync(protocol.Port, query);
        await Wait.UntilAsync(() => protocol.GetStatistics().AcceptedConnections > before, "client registered");
        return client;
    }
}
