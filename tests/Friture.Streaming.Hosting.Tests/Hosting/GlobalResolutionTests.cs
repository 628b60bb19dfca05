using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Friture.Streaming.Configuration;
using Friture.Streaming.Mqtt;
using Friture.Streaming.Osc;
using Friture.Streaming.Protocols;
using Friture.Streaming.Reduction;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.Udp;

namespace Friture.Streaming.Hosting.Tests.Hosting;

/// <summary>
/// The settings' global <c>resolution</c> key: read from JSON, applied to every network protocol that does not set its
/// own <c>options.resolution</c> (and to the hosted WebSocket/SSE endpoints), refused with one message naming the key,
/// and written once, at the top, when the settings in effect are saved.
/// </summary>
public sealed class GlobalResolutionTests
{
    private static readonly ProtocolKind[] Kinds = [.. ServerProtocolKinds.All, MqttSettings.Kind, OscSettings.Kind];

    private const string Mixed = """
        { "resolution": "scope.points=512,fft_spectrum=full",
          "protocols": [
            { "kind": "tcp", "port": 0 },
            { "kind": "udp", "clients": [ "127.0.0.1:9" ], "options": { "resolution": "network" } },
            { "kind": "osc", "clients": [ "127.0.0.1:9" ], "options": { "resolution": "full" } },
            { "kind": "mqtt", "options": { "qos": 1 } } ] }
        """;

    private static readonly ResolutionRequest Global = ResolutionRequest.NetworkDefault with { Scope = new ScopeResolution { Points = 512 }, FftSpectrum = null };

    // Global written back as text: the network defaults with the two keys applied.
    private const string GlobalText =
        "fft_spectrum=full,spectrogram.points=80,spectrogram.fmin=20,spectrogram.fmax=20000,spectrogram.scale=log,scope.points=512,octave_spectrum.fmin=0,octave_spectrum.fmax=24000";

    private static async Task<(StreamingApi Api, T[] Protocols)> ApplyAsync<T>(StreamingSettings settings)
    {
        var api = new StreamingApi();
        try
        {
            api.ApplySettings(settings, Kinds);
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        return (api, [.. api.Protocols.OfType<T>()]);
    }

    [Fact]
    public void Parse_GlobalKey_IsReadAsAResolutionRequest()
    {
        Assert.Equal(Global, StreamingSettings.Parse(Mixed, Kinds).Resolution);
        Assert.Same(ResolutionRequest.Full, StreamingSettings.Parse("""{ "resolution": "full" }""").Resolution);
        Assert.Null(StreamingSettings.Parse("""{ "rate_limits": { "levels": 10 } }""").Resolution);
    }

    [Fact]
    public async Task Apply_ProtocolsWithoutTheirOwn_TakeTheGlobal_OwnOptionsWin()
    {
        var (api, protocols) = await ApplyAsync<StreamingProtocol>(StreamingSettings.Parse(Mixed, Kinds));
        await using var _ = api;

        Assert.Equal(Global, Assert.IsType<TcpProtocol>(protocols[0]).Options.Resolution);
        Assert.Equal(ResolutionRequest.NetworkDefault, Assert.IsType<UdpProtocol>(protocols[1]).Options.Resolution); // own "network" beats the global
        Assert.Same(ResolutionRequest.Full, Assert.IsType<OscProtocol>(protocols[2]).Options.Resolution);
        var mqtt = Assert.IsType<MqttProtocol>(protocols[3]);
        Assert.Equal(Global, mqtt.Options.Resolution);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, mqtt.Options.QualityOfService);
    }

    [Fact]
    public async Task Apply_NoGlobal_EveryProtocolKeepsTheNetworkDefault()
    {
        var (api, protocols) = await ApplyAsync<StreamingProtocol>(StreamingSettings.Parse(
            """{ "protocols": [ { "kind": "tcp", "port": 0 }, { "kind": "osc", "clients": [ "127.0.0.1:9" ] } ] }""", Kinds));
        await using var _ = api;

        Assert.Same(ResolutionRequest.NetworkDefault, Assert.IsType<TcpProtocol>(protocols[0]).Options.Resolution);
        Assert.Same(ResolutionRequest.NetworkDefault, Assert.IsType<OscProtocol>(protocols[1]).Options.Resolution);
    }

    [Fact]
    public async Task Apply_OptionsSetInCode_AreNotOverridden()
    {
        var settings = new StreamingSettings { Resolution = ResolutionRequest.Full };
        settings.Protocols.Add(new ProtocolSettings { Kind = "tcp", Port = 0, Options = new TcpProtocolOptions { Resolution = ResolutionRequest.NetworkDefault } });
        settings.Protocols.Add(new ProtocolSettings { Kind = "tcp", Port = 0, Options = new TcpProtocolOptions() });
        settings.Protocols.Add(new ProtocolSettings { Kind = "tcp", Port = 0 });

        var (api, protocols) = await ApplyAsync<TcpProtocol>(settings);
        await using var _ = api;

        Assert.Same(ResolutionRequest.NetworkDefault, protocols[0].Options.Resolution);
        Assert.Same(ResolutionRequest.Full, protocols[1].Options.Resolution);
        Assert.Same(ResolutionRequest.Full, protocols[2].Options.Resolution);
    }

    [Theory]
    [InlineData("\"fine\"", "resolution is 'fine'; it must be network, full, or keys such as fft_spectrum.points=256,scope.points=512")]
    [InlineData("\"scope.points=3\"", "resolution: scope.points is 3")]
    [InlineData("\"levels.points=5\"", "resolution: 'levels.points' is not a resolution key; the keys are")]
    [InlineData("{ \"scope\": 5 }", "resolution must be a single value")]
    public void Parse_BadGlobal_IsOneProblemNamingTheKey(string value, string expected)
    {
        var error = Assert.Throws<StreamingSettingsException>(() => StreamingSettings.Parse($$"""{ "resolution": {{value}} }""", Kinds));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_BadGlobalSetInCode_IsRefusedNamingTheKeyAndTheFix()
    {
        var settings = new StreamingSettings { Resolution = new ResolutionRequest { Scope = new ScopeResolution { Points = 3 } } };
        await using var api = new StreamingApi();

        var error = Assert.Throws<StreamingSettingsException>(() => api.ApplySettings(settings, Kinds));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("resolution: scope.points is 3", problem, StringComparison.Ordinal);
        Assert.Contains("Use network, full, or keys", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capture_WritesTheGlobalOnce_OwnResolutionsStayWithTheirProtocol_AndLoadsBackTheSame()
    {
        var (api, _) = await ApplyAsync<StreamingProtocol>(StreamingSettings.Parse(Mixed, Kinds));
        string json;
        await using (api)
        {
            json = api.CaptureSettings(Kinds).ToJson();
        }

        var saved = JsonNode.Parse(json)!;
        Assert.Equal(GlobalText, (string?)saved["resolution"]);
        var entries = saved["protocols"]!.AsArray();
        Assert.Null(entries.Single(e => (string?)e!["kind"] == "tcp")!["options"]?["resolution"]);
        Assert.Null(entries.Single(e => (string?)e!["kind"] == "mqtt")!["options"]?["resolution"]);
        Assert.Equal("full", (string?)entries.Single(e => (string?)e!["kind"] == "osc")!["options"]!["resolution"]);
        Assert.Equal("network", (string?)entries.Single(e => (string?)e!["kind"] == "udp")!["options"]!["resolution"]);

        // Loaded back, every protocol has the same resolution as before.
        var (again, protocols) = await ApplyAsync<StreamingProtocol>(StreamingSettings.Parse(json, Kinds));
        await using var __ = again;
        Assert.Equal(Global, protocols.OfType<TcpProtocol>().Single().Options.Resolution);
        Assert.Equal(Global, protocols.OfType<MqttProtocol>().Single().Options.Resolution);
        Assert.Equal(ResolutionRequest.NetworkDefault, protocols.OfType<UdpProtocol>().Single().Options.Resolution);
        Assert.Equal(ResolutionRequest.Full, protocols.OfType<OscProtocol>().Single().Options.Resolution);
    }

    [Fact]
    public async Task Pipeline_GlobalResolution_IsTheHostedEndpointsDefault_AndIsCaptured()
    {
        var options = new FritureStreamingOptions { Settings = { Resolution = ResolutionRequest.Full } };
        options.Input.Kind = FritureInputKind.Generator;
        await using var pipeline = new FritureStreamingPipeline(options);

        Assert.Same(ResolutionRequest.Full, pipeline.CreateMappedWebSocket().Options.Resolution);
        Assert.Same(ResolutionRequest.Full, pipeline.CreateMappedSse().Options.Resolution);
        Assert.Same(ResolutionRequest.Full, pipeline.CaptureSettings().Resolution);

        var plain = new FritureStreamingOptions();
        plain.Input.Kind = FritureInputKind.Generator;
        await using var without = new FritureStreamingPipeline(plain);
        Assert.Same(ResolutionRequest.NetworkDefault, without.CreateMappedWebSocket().Options.Resolution);
        Assert.Null(without.CaptureSettings().Resolution);
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)]
    public async Task AppSettings_GlobalResolution_ReachesTheWebSocketEndpoint_AClientsOwnRequestWins()
    {
        const string json = """
            { "Friture": { "Streaming": {
                "input": { "kind": "Generator", "generator": { "FrequencyHz": 1000 } },
                "resolution": "fft_spectrum.points=16" } } }
            """;
        var (app, baseUrl) = await AddFritureStreamingTests.StartWebAppAsync(json);
        await using (app)
        {
            var ws = baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws?types=fft_spectrum";
            Assert.Equal(16, await SpectrumPointsAsync(ws));
            Assert.Equal(8, await SpectrumPointsAsync(ws + "&fft_spectrum.points=8"));
            await app.StopAsync(Wait.Token());
        }
    }

    /// <summary>The number of frequencies in the first FFT spectrum message a WebSocket client at <paramref name="url"/> receives.</summary>
    private static async Task<int> SpectrumPointsAsync(string url)
    {
        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri(url), Wait.Token());
        var buffer = new byte[1 << 20];
        var points = 0;
        await Wait.UntilAsync(
            async () =>
            {
                var length = 0;
                var end = false;
                while (!end)
                {
                    var received = await client.ReceiveAsync(buffer.AsMemory(length), Wait.Token());
                    length += received.Count;
                    end = received.EndOfMessage;
                }

                using var doc = JsonDocument.Parse(buffer.AsMemory(0, length));
                if (!doc.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty("frequencies", out var frequencies))
                {
                    return false;
                }

                points = frequencies.GetArrayLength();
                return true;
            },
            "an fft_spectrum message");
        return points;
    }
}
