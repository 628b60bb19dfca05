using System.Net;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Sse;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.Udp;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Server.Tests.Docs;

/// <summary>Runs the client examples of docs/protocols.md, as written, against live protocols.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class DocumentationExamplesTests
{
    [Fact]
    public async Task PythonTcpExample_ReadsLargeFramesSplitAcrossReads()
    {
        await using var protocol = new TcpProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        using var client = ExampleProcess.Start("python3", ExampleProcess.Extract("tcp_client.py"), "127.0.0.1", Port(protocol.Port), "4");
        await Wait.UntilAsync(() => protocol.GetStatistics().Clients is [{ Types.Length: 2, Sent: >= 1 }] || client.HasExited, "python client subscribed");

        protocol.Broadcast(TestData.Pitch(0), SerializationFormat.Json);
        protocol.Broadcast(TestData.Spectrum(0, 16385), SerializationFormat.Json);
        protocol.SendData("{\"type\": \"big\", \"pad\": \"" + new string('x', 300_000) + "\"}");
        for (var i = 1; i <= 3; i++)
        {
            protocol.Broadcast(TestData.Levels(i), SerializationFormat.Json);
        }

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("reply: {'type': 'subscribed'", client.Output, StringComparison.Ordinal);
        Assert.Contains("pitch_tracker #0", client.Output, StringComparison.Ordinal);
        Assert.Contains("reply: {'type': 'big'", client.Output, StringComparison.Ordinal);
        Assert.Contains("levels #3 at 0.030 s", client.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fft_spectrum", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonUdpExample_ReceivesDatagrams()
    {
        await using var protocol = new UdpProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        using var client = ExampleProcess.Start("python3", ExampleProcess.Extract("udp_client.py"), "127.0.0.1", "0", "3");
        await Wait.UntilAsync(() => client.Output.Contains("listening on port", StringComparison.Ordinal) || client.HasExited, "python client bound");
        var port = int.Parse(client.Output.Split("listening on port ")[1].Trim().Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        protocol.AddClient("127.0.0.1", port);

        // UDP may lose datagrams: keep sending (bounded) until the example has its three.
        for (var i = 0; i < 600 && !client.HasExited; i++)
        {
            protocol.Broadcast(TestData.Levels(i), SerializationFormat.Json);
            await Task.Delay(50);
        }

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("levels #", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonSseExample_ReadsUnnamedEventsWithIds()
    {
        await using var protocol = new HttpSseProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        using var client = ExampleProcess.Start("python3", ExampleProcess.Extract("sse_client.py"), "127.0.0.1", Port(protocol.Port), "2");
        await Wait.UntilAsync(() => protocol.GetStatistics().ConnectedClients == 1 || client.HasExited, "python client connected");

        protocol.Broadcast(TestData.Spectrum(0, 33), SerializationFormat.Json);
        protocol.Broadcast(TestData.Levels(7), SerializationFormat.Json);
        protocol.Broadcast(TestData.Pitch(8), SerializationFormat.Json);

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("id levels:7: levels", client.Output, StringComparison.Ordinal);
        Assert.Contains("id pitch_tracker:8: pitch_tracker", client.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("python3", "decode_frame.py")]
    [InlineData("node", "decode_frame.js")]
    public async Task BinaryFrameDecoderExamples_RebuildTheJsonEnvelope(string program, string example)
    {
        var sent = TestData.Spectrum(21, 513);
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, BinaryFrame.ToArray(sent), Wait.Token());

        using var decoder = ExampleProcess.Start(program, ExampleProcess.Extract(example), file);

        Assert.Equal(0, await decoder.WaitForExitAsync());
        var decoded = StreamingJson.Deserialize(decoder.Output);
        Assert.Equal(21, decoded.Metadata.SequenceNumber);
        Assert.Equal(((FftSpectrumData)sent.Data).MagnitudesDb, ((FftSpectrumData)decoded.Data).MagnitudesDb);

        // A scope frame: the samples are a two-dimensional float32 array ([name, count, rows]).
        var scope = new StreamingData(TestData.Metadata(DataType.Scope, 22), new ScopeData { Times = [0f, 1f], Samples = [[0.5f, -0.5f], [0.25f, 1f]], ChannelLabels = ["ch1", "ch2"] });
        await File.WriteAllBytesAsync(file, BinaryFrame.ToArray(scope), Wait.Token());
        using var scopeDecoder = ExampleProcess.Start(program, ExampleProcess.Extract(example), file);
        Assert.Equal(0, await scopeDecoder.WaitForExitAsync());
        var samples = ((ScopeData)StreamingJson.Deserialize(scopeDecoder.Output).Data).Samples;
        Assert.Equal([0.25f, 1f], samples[1]);
    }

    [Fact]
    public async Task NodeTcpExample_ReadsFrames()
    {
        await using var protocol = new TcpProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        using var client = ExampleProcess.Start("node", ExampleProcess.Extract("tcp_client.js"), "127.0.0.1", Port(protocol.Port), "2");
        await Wait.UntilAsync(() => protocol.GetStatistics().Clients is [{ Types.Length: 1, Sent: >= 1 }] || client.HasExited, "node client subscribed");

        protocol.Broadcast(TestData.Levels(1), SerializationFormat.Json);
        protocol.Broadcast(TestData.Levels(2), SerializationFormat.Json);

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("reply: subscribed", client.Output, StringComparison.Ordinal);
        Assert.Contains("levels #2", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeWebSocketExample_ReceivesAndClosesNormally()
    {
        await using var protocol = new WebSocketProtocol("127.0.0.1", 0);
        await protocol.StartAsync(Wait.Token());
        // Node 20 needs the flag for the browser-style WebSocket global; Node 22+ has it by default.
        using var client = ExampleProcess.Start("node", "--experimental-websocket", ExampleProcess.Extract("websocket_client.js"), "127.0.0.1", Port(protocol.Port), "2");
        await Wait.UntilAsync(() => protocol.GetStatistics().Clients is [{ Sent: >= 1 }] || client.HasExited, "node client got its pong");

        protocol.Broadcast(TestData.Levels(1), SerializationFormat.Json);
        protocol.Broadcast(TestData.Levels(2), SerializationFormat.Json);

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("reply: pong", client.Output, StringComparison.Ordinal);
        Assert.Contains("levels #2", client.Output, StringComparison.Ordinal);
        Assert.Contains("closed 1000", client.Output, StringComparison.Ordinal);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
