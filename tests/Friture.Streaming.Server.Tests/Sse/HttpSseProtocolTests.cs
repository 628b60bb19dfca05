using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Server.Tests.Sse;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class HttpSseProtocolTests
{
    [Fact]
    public async Task Broadcast_ToEventSourceClient_ArrivesAsUnnamedEventWithTypedSequenceId()
    {
        await using var protocol = await StartAsync();
        using var reader = await OpenAsync(protocol);

        protocol.Broadcast(TestData.Levels(42), SerializationFormat.Json);

        var message = await reader.ReadEventAsync();
        Assert.Equal("text/event-stream", reader.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("levels:42", message!.Value.Id);
        Assert.Equal(42, StreamingJson.Deserialize(message.Value.Data).Metadata.SequenceNumber);
    }

    [Fact]
    public async Task Broadcast_BinaryFormat_IsSentAsJsonText()
    {
        await using var protocol = await StartAsync();
        using var reader = await OpenAsync(protocol);

        protocol.Broadcast(TestData.Spectrum(1, 65), SerializationFormat.Binary);

        var message = await reader.ReadEventAsync();
        Assert.Equal(DataType.FftSpectrum, StreamingJson.Deserialize(message!.Value.Data).DataType);
    }

    [Fact]
    public async Task Reconnect_WithLastEventId_ReplaysTheMissedMessagesThenContinues()
    {
        await using var protocol = await StartAsync();
        using (var first = await OpenAsync(protocol))
        {
            for (var i = 0; i < 10; i++)
            {
                protocol.Broadcast(TestData.Levels(i), SerializationFormat.Json);
                protocol.Broadcast(TestData.Pitch(i), SerializationFormat.Json);
            }

            Assert.Equal("levels:0", (await first.ReadEventAsync())!.Value.Id);
        }

        using var second = await OpenAsync(protocol, "?types=levels", r => r.Headers.Add("Last-Event-ID", "levels:4"));
        protocol.Broadcast(TestData.Levels(10), SerializationFormat.Json);

        var ids = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await second.ReadEventAsync())!.Value.Id);
        }

        Assert.Equal(["levels:5", "levels:6", "levels:7", "levels:8", "levels:9", "levels:10"], ids);
    }

    [Fact]
    public async Task Reconnect_WithUnknownLastEventId_SaysSoInACommentAndStreamsNewMessages()
    {
        await using var protocol = await StartAsync();
        using var reader = await OpenAsync(protocol, configure: r => r.Headers.Add("Last-Event-ID", "levels:999"));

        protocol.Broadcast(TestData.Levels(1), SerializationFormat.Json);

        Assert.Equal("levels:1", (await reader.ReadEventAsync())!.Value.Id);
        Assert.Contains(reader.Comments, c => c.Contains("not in the replay buffer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdleStream_WhenTheFakeClockPassesTheInterval_GetsKeepAliveComments()
    {
        var clock = new FakeTimeProvider();
        await using var protocol = await StartAsync(new HttpSseProtocolOptions { TimeProvider = clock, KeepAliveInterval = TimeSpan.FromSeconds(15) });
        using var reader = await OpenAsync(protocol);

        clock.Advance(TimeSpan.FromSeconds(15));

        await reader.WaitForCommentAsync("keep-alive");
        Assert.Contains(reader.Comments, c => c == ": keep-alive");
    }

    [Fact]
    public async Task Cors_ListedOriginIsEchoed_ForeignOriginIsRefused()
    {
        var options = new HttpSseProtocolOptions();
        options.AllowedOrigins.Add("http://dashboard.test");
        await using var protocol = await StartAsync(options);

        using var listed = await OpenAsync(protocol, configure: r => r.Headers.Add("Origin", "http://dashboard.test"));
        var (status, foreign) = await SseReader.OpenAsync(protocol.Port, configure: r => r.Headers.Add("Origin", "http://evil.test"));

        Assert.Equal("http://dashboard.test", listed.Response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Null(foreign);
    }

    [Fact]
    public async Task Cors_Star_AllowsAnyOrigin()
    {
        var options = new HttpSseProtocolOptions();
        options.AllowedOrigins.Add("*");
        await using var protocol = await StartAsync(options);

        using var reader = await OpenAsync(protocol, configure: r => r.Headers.Add("Origin", "http://anything.test"));

        Assert.Equal("*", reader.Response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Connect_WithBadToken_IsRefusedWith401_AndQueryTokenIsAccepted()
    {
        await using var protocol = await StartAsync(new HttpSseProtocolOptions { AccessToken = "s3cret" });

        var (bad, _) = await SseReader.OpenAsync(protocol.Port, "?access_token=nope");
        var (missing, _) = await SseReader.OpenAsync(protocol.Port);
        using var good = await OpenAsync(protocol, "?access_token=s3cret");
        using var header = await OpenAsync(protocol, configure: r => r.Headers.Authorization = new("Bearer", "s3cret"));

        Assert.Equal(HttpStatusCode.Unauthorized, bad);
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal(2, protocol.GetStatistics().ConnectedClients);
    }

    [Fact]
    public async Task SendData_MultiLineText_BecomesOneEventWithSeveralDataLines()
    {
        await using var protocol = await StartAsync();
        using var reader = await OpenAsync(protocol);

        protocol.SendData("line one\nline two");

        var message = await reader.ReadEventAsync();
        Assert.Null(message!.Value.Id);
        Assert.Equal("line one\nline two", message.Value.Data);
    }

    [Fact]
    public async Task StopAsync_EndsTheEventStreamAndFreesThePort()
    {
        var protocol = await StartAsync();
        using var reader = await OpenAsync(protocol);
        var port = protocol.Port;

        await protocol.StopAsync(Wait.Token());

        // The last event says why the stream ends (a named "stopping" event), then the stream ends.
        Assert.Equal("{\"type\":\"stopping\",\"reason\":\"server stopping\"}", (await reader.ReadEventAsync())!.Value.Data);
        Assert.Null(await reader.ReadEventAsync());
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
    }

    private static async Task<HttpSseProtocol> StartAsync(HttpSseProtocolOptions? options = null)
    {
        var protocol = new HttpSseProtocol("127.0.0.1", 0, options);
        await protocol.StartAsync(Wait.Token());
        return protocol;
    }

    private static async Task<SseReader> OpenAsync(HttpSseProtocol protocol, string query = "", Action<HttpRequestMessage>? configure = null)
    {
        var before = protocol.GetStatistics().AcceptedConnections;
        var (status, reader) = await SseReader.OpenAsync(protocol.Port, query, configure);
        Assert.Equal(HttpStatusCode.OK, status);
        await Wait.UntilAsync(() => protocol.GetStatistics().AcceptedConnections > before, "SSE client registered");
        return reader!;
    }
}
