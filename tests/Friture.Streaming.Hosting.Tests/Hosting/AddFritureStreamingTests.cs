using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Hosting.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Friture.Streaming.Hosting.Tests.Hosting;

/// <summary>AddFritureStreaming + MapFritureStreaming in real Kestrel and Worker hosts configured from appsettings JSON.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class AddFritureStreamingTests
{
    private const string AppSettings = """
        {
          "Friture": {
            "Streaming": {
              "input": { "kind": "Generator", "generator": { "Waveform": "Sine", "FrequencyHz": 440, "LevelDbfs": -6, "Channels": 2 } },
              "analyzers": { "pitch_tracker": { "ReferenceA4Hz": 440 }, "fft_spectrum": { "FftSize": 4096 } },
              "rate_limits": { "levels": 25 },
              "endpoints": { "websocket_path": "/stream/ws", "sse_path": "/stream/events", "dashboard_path": "/dash" }
            }
          }
        }
        """;

    internal static async Task<(WebApplication App, string BaseUrl)> StartWebAppAsync(string json, Action<FritureStreamingOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddFritureStreaming(builder.Configuration, configure);
        var app = builder.Build();
        app.MapFritureStreaming();
        await app.StartAsync(Wait.Token());
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address.TrimEnd('/'));
    }

    [Fact]
    public async Task MapFritureStreaming_InKestrelApp_ServesWebSocketSseAndDashboardFromAppSettings()
    {
        var (app, baseUrl) = await StartWebAppAsync(AppSettings);
        await using (app)
        {
            var pipeline = app.Services.GetRequiredService<FritureStreamingPipeline>();
            Assert.Same(pipeline.Api, app.Services.GetRequiredService<StreamingApi>());
            Assert.True(pipeline.Api.IsStreaming);
            Assert.Equal(4096, pipeline.Options.Analyzers.FftSpectrum.FftSize);
            Assert.Equal(25, pipeline.Api.RateLimiter.GetRateLimits()[DataType.Levels]);

            // WebSocket: a pitch message naming A4.
            using var ws = new ClientWebSocket();
            await ws.ConnectAsync(new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/stream/ws?types=pitch_tracker"), Wait.Token());
            var buffer = new byte[1 << 16];
            string? note = null;
            await Wait.UntilAsync(async () =>
            {
                var received = await ws.ReceiveAsync(buffer, Wait.Token());
                using var doc = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
                note = doc.RootElement.GetProperty("data").GetProperty("note_name").GetString();
                return note is not null;
            }, "a pitch message with a note");
            Assert.Equal("A4", note);

            // SSE: a levels event.
            using var http = new HttpClient { Timeout = Wait.Timeout };
            using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/stream/events?types=levels");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Wait.Token());
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Wait.Token()));
            string? line;
            do
            {
                line = await reader.ReadLineAsync(Wait.Token());
            }
            while (line is not null && !line.StartsWith("data: ", StringComparison.Ordinal));
            Assert.NotNull(line);
            using (var doc = JsonDocument.Parse(line["data: ".Length..]))
            {
                Assert.Equal("levels", doc.RootElement.GetProperty("metadata").GetProperty("data_type").GetString());
                Assert.InRange(doc.RootElement.GetProperty("data").GetProperty("peak_levels_db")[0].GetDouble(), -6.5, -5.5);
            }

            // Dashboard: the page, with the configured stream paths, and its script.
            var html = await http.GetStringAsync(baseUrl + "/dash/", Wait.Token());
            Assert.Contains("data-ws-path=\"/stream/ws\"", html, StringComparison.Ordinal);
            Assert.Contains("data-sse-path=\"/stream/events\"", html, StringComparison.Ordinal);
            var js = await http.GetAsync(baseUrl + "/dash/dashboard.js", Wait.Token());
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);

            await app.StopAsync(Wait.Token());
            Assert.False(pipeline.Api.IsStreaming);
        }
    }

    [Fact]
    public async Task AddFritureStreaming_WorkerHost_RunsSelfHostedTcpAndFileConsumerFromAppSettings()
    {
        var directory = TestFiles.TempDirectory();
        var jsonl = Path.Combine(directory, "pitch.jsonl");
        var json = $$"""
            {
              "Friture": { "Streaming": {
                "input": { "kind": "Generator", "generator": { "FrequencyHz": 440 } },
                "consumers": [ { "kind": "file", "data_types": [ "pitch_tracker" ], "file_path": {{JsonSerializer.Serialize(jsonl)}} } ],
                "protocols": [ { "kind": "tcp", "host": "localhost", "port": 0, "data_types": [ "levels" ] } ]
              } }
            }
            """;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddFritureStreaming(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(Wait.Token());
        var pipeline = host.Services.GetRequiredService<FritureStreamingPipeline>();
        var tcp = Assert.Single(pipeline.Api.Protocols);
        Assert.Equal("tcp", tcp.Name);
        Assert.True(tcp.Port > 0);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, tcp.Port, Wait.Token());
            using var reader = new StreamReader(client.GetStream());
            var length = await reader.ReadLineAsync(Wait.Token());
            Assert.True(int.TryParse(length, out var bytes) && bytes > 0, length);
        }

        // Stop only once the file consumer has been handed a pitch message (on a loaded machine the first pitch frame
        // can take longer than the TCP round trip above); StopAsync must then leave it on disk.
        await Wait.UntilAsync(
            () => pipeline.Api.GetStatistics().Consumers.Any(c => c.Kind == "FileConsumer" && c.Received > 0),
            "the file consumer to receive a pitch message");
        await host.StopAsync(Wait.Token());

        Assert.False(pipeline.Api.IsStreaming);
        var lines = await File.ReadAllLinesAsync(jsonl);
        Assert.NotEmpty(lines);
        Assert.Contains("\"note_name\":\"A4\"", lines[^1], StringComparison.Ordinal);
        using var rebind = new TcpListener(IPAddress.Loopback, tcp.Port);
        rebind.Start();
    }

    [Fact]
    public async Task AddFritureStreaming_InvalidOption_FailsAtStartNamingTheOption()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddFritureStreaming(o =>
        {
            o.Input.Kind = FritureInputKind.Generator;
            o.BlockSize = 3;
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync(Wait.Token()));

        Assert.StartsWith("block_size is 3; it must be between 16 and 65536 frames.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerProtocolKinds_Kinds_CreateTheProtocolClasses()
    {
        var settings = Configuration.StreamingSettings.Parse("""
            { "protocols": [ { "kind": "websocket", "port": 0 }, { "kind": "http_sse", "port": 0 }, { "kind": "tcp", "port": 0 },
                             { "kind": "udp", "clients": [ "127.0.0.1:9999" ] } ] }
            """);
        await using var api = new StreamingApi();
        Configuration.StreamingSettingsExtensions.ApplySettings(api, settings, ServerProtocolKinds.All);

        Assert.Equal(["websocket", "http_sse", "tcp", "udp"], api.Protocols.Select(p => p.Name).ToArray());
        var unknown = Assert.Throws<Configuration.StreamingSettingsException>(() =>
            Configuration.StreamingSettings.Parse("""{ "protocols": [ { "kind": "carrier_pigeon" } ] }""", ServerProtocolKinds.All));
        Assert.Contains("'carrier_pigeon', which is not a protocol kind", unknown.Message, StringComparison.Ordinal);
    }
}
