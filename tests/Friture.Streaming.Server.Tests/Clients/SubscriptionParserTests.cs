using System.Net;
using System.Net.WebSockets;
using System.Text;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Clients;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Server.Tests.Clients;

public sealed class SubscriptionParserTests
{
    [Fact]
    public void TryParseControl_ResolutionAndFormat_AreReadPerType()
    {
        var ok = SubscriptionParser.TryParseControl(Encoding.UTF8.GetBytes("""
            {"action":"subscribe","types":["fft_spectrum","scope"],"rate":10,"format":"binary",
             "resolution":{"fft_spectrum":{"points":256,"fmin":20,"fmax":20000,"scale":"log"},"scope":{"points":512},"spectrogram":"full"}}
            """), out var message, out var error);

        Assert.True(ok, error);
        var subscription = message.Subscription!;
        Assert.Equal(SerializationFormat.Binary, subscription.Format);
        Assert.Equal(new SpectrumResolution { Points = 256, MinFrequencyHz = 20, MaxFrequencyHz = 20_000, Scale = SpectrumScale.Log }, subscription.Resolution!.FftSpectrum);
        Assert.Equal(512, subscription.Resolution.Scope!.Points);
        Assert.Null(subscription.Resolution.Spectrogram);
        Assert.Equal(ResolutionRequest.NetworkDefault.OctaveSpectrum, subscription.Resolution.OctaveSpectrum);
    }

    [Fact]
    public void TryParseControl_ResolutionFull_TurnsReductionOff()
    {
        Assert.True(SubscriptionParser.TryParseControl("""{"action":"subscribe","resolution":"full"}"""u8, out var message, out _));
        Assert.Same(ResolutionRequest.Full, message.Subscription!.Resolution);
        Assert.True(SubscriptionParser.TryParseControl("""{"action":"subscribe"}"""u8, out message, out _));
        Assert.Null(message.Subscription!.Resolution);
        Assert.Null(message.Subscription.Format);
    }

    [Theory]
    [InlineData("""{"action":"subscribe","resolution":{"scope":{"points":63}}}""", "scope.points is 63")]
    [InlineData("""{"action":"subscribe","resolution":{"fft_spectrum":{"points":1}}}""", "fft_spectrum.points is 1")]
    [InlineData("""{"action":"subscribe","resolution":{"fft_spectrum":{"scale":"mel"}}}""", "fft_spectrum.scale is 'mel'")]
    [InlineData("""{"action":"subscribe","resolution":{"fft_spectrum":{"bins":5}}}""", "'fft_spectrum.bins' is not a resolution key")]
    [InlineData("""{"action":"subscribe","resolution":{"levels":{"points":5}}}""", "'resolution.levels' is not a resolution type")]
    [InlineData("""{"action":"subscribe","format":"xml"}""", "format is 'xml'")]
    public void TryParseControl_BadResolution_ErrorNamesTheKey(string json, string expected)
    {
        Assert.False(SubscriptionParser.TryParseControl(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseControl_LingerMs_IsReadAndChecked()
    {
        Assert.True(SubscriptionParser.TryParseControl("""{"action":"subscribe","linger_ms":0}"""u8, out var message, out var error), error);
        Assert.Equal(TimeSpan.Zero, message.Subscription!.Linger);
        Assert.True(SubscriptionParser.TryParseControl("""{"action":"subscribe","linger_ms":40}"""u8, out message, out error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(40), message.Subscription!.Linger);
        Assert.True(SubscriptionParser.TryParseControl("""{"action":"subscribe"}"""u8, out message, out _));
        Assert.Null(message.Subscription!.Linger);

        Assert.False(SubscriptionParser.TryParseControl("""{"action":"subscribe","linger_ms":1001}"""u8, out _, out error));
        Assert.Contains("linger_ms is 1001; it must be a number of milliseconds between 0", error, StringComparison.Ordinal);
        Assert.False(SubscriptionParser.TryParseControl("""{"action":"subscribe","linger_ms":"5"}"""u8, out _, out error));
        Assert.Contains("linger_ms is \"5\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?linger_ms=0", 0.0)]
    [InlineData("?linger_ms=12.5", 12.5)]
    [InlineData("?types=levels", null)]
    public void TryParseQuery_LingerMs_IsRead(string query, double? expectedMs)
    {
        var collection = new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));
        Assert.True(SubscriptionParser.TryParseQuery(collection, allowBatch: true, allowBinary: true, out var subscription, out var error), error);
        Assert.Equal(expectedMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, subscription.Linger);
    }

    [Theory]
    [InlineData("?linger_ms=-1")]
    [InlineData("?linger_ms=abc")]
    [InlineData("?linger_ms=5000")]
    public void TryParseQuery_BadLingerMs_ErrorNamesTheKeyAndTheRange(string query)
    {
        var collection = new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));
        Assert.False(SubscriptionParser.TryParseQuery(collection, allowBatch: true, allowBinary: true, out _, out var error));
        Assert.Contains("linger_ms is ", error, StringComparison.Ordinal);
        Assert.Contains("between 0 (send each audio block's messages at once) and 1000", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketQuery_BadResolution_IsRefusedWith400()
    {
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() =>
            client.ConnectAsync(new Uri($"ws://127.0.0.1:{protocol.Port}/?scope.points=7"), Wait.Token()));

        Assert.Equal(HttpStatusCode.BadRequest, client.HttpStatusCode);
    }

    [Fact]
    public async Task WebSocketQuery_ScopePointsAndFull_ReachTheSession()
    {
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        using var reduced = await WsClient.ConnectAsync(protocol.Port, "?types=scope&scope.points=8");
        using var full = await WsClient.ConnectAsync(protocol.Port, "?types=scope&resolution=full");
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 2, "2 clients registered");
        var samples = Enumerable.Range(0, 100).Select(static i => i % 10 == 0 ? 1f : 0f).ToArray();
        var scope = new StreamingData(TestData.Metadata(DataType.Scope, 1), new Data.ScopeData
        {
            Times = [.. Enumerable.Range(0, 100).Select(static i => i / 48_000f)],
            Samples = [[.. samples]],
            ChannelLabels = ["ch1"],
        });

        protocol.Broadcast(scope, SerializationFormat.Json);

        var small = (Data.ScopeData)StreamingJson.Deserialize((await WsClient.ReceiveAsync(reduced))!.Value.Bytes).Data;
        var large = (Data.ScopeData)StreamingJson.Deserialize((await WsClient.ReceiveAsync(full))!.Value.Bytes).Data;
        Assert.Equal(8, small.Samples[0].Length);
        Assert.True(small.Reduced);
        Assert.Equal(1f, small.Samples[0].Max());
        Assert.Equal(100, large.Samples[0].Length);
        Assert.False(large.Reduced);
    }
}
