using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Friture.Streaming.Cli.Commands;
using Friture.Streaming.Hosting.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>Settings files through the real CLI and the hosting validator: every problem named at once, secrets kept.</summary>
public sealed class CliSettingsTests
{
    /// <summary>14 problems of every sort: unknown keys, wrong JSON types, bad values, an unknown protocol kind.</summary>
    private const string FourteenProblems = """
        {
          "rate_limit": { "levels": 5 },
          "rate_limits": { "levels": "fast", "pitch_tracker": -3 },
          "buffers": {
            "fft_spectrum": { "max_size": "lots", "colour": "red" },
            "levels": { "order": "random" }
          },
          "consumers": [
            { "kind": "queue", "data_types": [ "levels" ], "flush": true },
            { "kind": "carrier_pigeon", "data_types": [ "levels" ] },
            { "kind": "queue", "data_types": [ "levels" ], "max_queue_size": 1.5 }
          ],
          "protocols": [
            { "kind": "carrier_pigeon" },
            { "kind": "tcp", "port": "http", "options": { "acess_token": "x" } },
            { "kind": "mqtt", "options": { "qos": 7 } },
            { "kind": "osc", "options": { "spectrum_points": 5000 } }
          ]
        }
        """;

    private static readonly string[] FourteenPaths =
    [
        "rate_limit ", "rate_limits.levels ", "rate_limits.pitch_tracker ", "buffers.fft_spectrum.max_size ", "buffers.fft_spectrum.colour ",
        "buffers.levels.order ", "consumers[0].flush ", "consumers[1].kind ", "consumers[2].max_queue_size ", "protocols[0].kind ",
        "protocols[1].port ", "protocols[1].options.acess_token ", "protocols[2].options.qos ", "protocols[3].options.spectrum_points ",
    ];

    [Fact]
    public async Task Process_SettingsFileWith14Problems_NamesAll14WithTheirPaths()
    {
        var path = Path.Combine(TestFiles.TempDirectory(), "bad.json");
        await File.WriteAllTextAsync(path, FourteenProblems);

        var (exit, output, error) = await CliStartupFailureTests.RunProcessAsync("--generate", "sine", "--port", "0", "--settings", path, "--duration", "5");

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        var problems = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("friture-stream: error: ", StringComparison.Ordinal)).ToList();
        Assert.True(problems.Count == 14, string.Join('\n', problems));
        foreach (var expected in FourteenPaths)
        {
            Assert.Single(problems, p => p.Contains($"{path}: {expected}", StringComparison.Ordinal));
        }

        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFritureStreaming_AppSettingsWith14Problems_OneValidationExceptionNamingAll14()
    {
        var json = $$"""{ "Friture": { "Streaming": {{FourteenProblems}} } }""";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddFritureStreaming(builder.Configuration).AddMqtt().AddOsc();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Wait.Token()));

        Assert.True(ex.Failures.Count() == 14, string.Join('\n', ex.Failures));
        foreach (var expected in FourteenPaths)
        {
            Assert.Single(ex.Failures, p => p.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SaveSettings_ResolutionFlag_IsTheGlobalResolution_WrittenOnce_AndLoadsBack()
    {
        var directory = TestFiles.TempDirectory();
        var path = Path.Combine(directory, "saved.json");
        using var output = new SyncWriter();
        using var error = new SyncWriter();
        var exit = await CliApplication.RunAsync(
            ["--generate", "sine:440", "--port", "0", "--osc", "127.0.0.1:9", "--udp", "127.0.0.1:9", "--resolution", "scope.points=512,fft_spectrum=full",
             "--save-settings", path, "--duration", "1", "--view", "plain", "--log-level", "error"],
            output, error, Wait.Token());
        Assert.True(exit == 0, error.Text);

        // One top-level key; the protocols inherit it and carry none of their own.
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        var expected = "fft_spectrum=full,spectrogram.points=80,spectrogram.fmin=20,spectrogram.fmax=20000,spectrogram.scale=log,scope.points=512,octave_spectrum.fmin=0,octave_spectrum.fmax=24000";
        Assert.Equal(expected, (string?)saved["resolution"]);
        foreach (var kind in new[] { "osc", "udp" })
        {
            var protocol = saved["protocols"]!.AsArray().Single(p => (string?)p!["kind"] == kind)!;
            Assert.Null(protocol["options"]?["resolution"]);
        }

        // The saved file loads back to the same global resolution.
        var again = Path.Combine(directory, "again.json");
        exit = await CliApplication.RunAsync(
            ["--settings", path, "--port", "0", "--save-settings", again, "--duration", "1", "--view", "plain", "--log-level", "error"],
            output, error, Wait.Token());
        Assert.True(exit == 0, error.Text);
        var reloaded = JsonNode.Parse(await File.ReadAllTextAsync(again))!;
        Assert.Equal(expected, (string?)reloaded["resolution"]);
        Assert.Null(reloaded["protocols"]!.AsArray().Single(p => (string?)p!["kind"] == "udp")!["options"]?["resolution"]);
    }

    [Fact]
    public async Task ResolutionFlag_OverASettingsFile_ReplacesItsGlobal_ProtocolsOwnStays()
    {
        var directory = TestFiles.TempDirectory();
        var settings = Path.Combine(directory, "settings.json");
        await File.WriteAllTextAsync(settings, """
            { "resolution": "scope.points=256",
              "protocols": [ { "kind": "udp", "clients": [ "127.0.0.1:9" ], "options": { "resolution": "network" } } ] }
            """);
        var path = Path.Combine(directory, "saved.json");
        using var output = new SyncWriter();
        using var error = new SyncWriter();

        var exit = await CliApplication.RunAsync(
            ["--settings", settings, "--generate", "sine:440", "--port", "0", "--resolution", "full", "--save-settings", path, "--duration", "1", "--view", "plain", "--log-level", "error"],
            output, error, Wait.Token());

        Assert.True(exit == 0, error.Text);
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal("full", (string?)saved["resolution"]);
        Assert.Equal("network", (string?)saved["protocols"]!.AsArray().Single(p => (string?)p!["kind"] == "udp")!["options"]!["resolution"]);
    }

    [Theory]
    [InlineData("fine", "--resolution is 'fine'; it must be network, full, or keys")]
    [InlineData("scope.points=3", "--resolution: scope.points is 3")]
    [InlineData("levels.points=5", "--resolution: 'levels.points' is not a resolution key")]
    public async Task ResolutionFlag_BadValue_IsOneErrorNamingTheFlag(string value, string expected)
    {
        using var output = new SyncWriter();
        using var error = new SyncWriter();

        var exit = await CliApplication.RunAsync(
            ["--generate", "sine:440", "--port", "0", "--udp", "127.0.0.1:9", "--resolution", value, "--duration", "1", "--view", "plain"],
            output, error, Wait.Token());

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, error.Text, StringComparison.Ordinal);
        Assert.Single(error.Text.Split('\n'), l => l.Contains("resolution", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LingerFlag_ReachesTheTcpProtocolsOptions_AndIsSaved()
    {
        var path = Path.Combine(TestFiles.TempDirectory(), "saved.json");
        using var output = new SyncWriter();
        using var error = new SyncWriter();

        var exit = await CliApplication.RunAsync(
            ["--generate", "sine:440", "--port", "0", "--tcp", "--tcp-port", "0", "--linger-ms", "5", "--save-settings", path, "--duration", "1", "--view", "plain", "--log-level", "error"],
            output, error, Wait.Token());

        Assert.True(exit == 0, error.Text);
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        var tcp = saved["protocols"]!.AsArray().Single(p => (string?)p!["kind"] == "tcp")!;
        Assert.Equal(TimeSpan.FromMilliseconds(5), TimeSpan.Parse((string)tcp["options"]!["linger"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1001")]
    [InlineData("-1")]
    public async Task LingerFlag_OutOfRange_IsOneErrorNamingTheFlag(string value)
    {
        using var output = new SyncWriter();
        using var error = new SyncWriter();

        var exit = await CliApplication.RunAsync(["--generate", "sine:440", "--port", "0", "--linger-ms", value, "--duration", "1", "--view", "plain"], output, error, Wait.Token());

        Assert.NotEqual(0, exit);
        Assert.Contains($"--linger-ms is {value}; it must be a number of milliseconds between 0", error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsFile_BadGlobalResolution_NamesTheFileAndTheKey()
    {
        var settings = Path.Combine(TestFiles.TempDirectory(), "settings.json");
        await File.WriteAllTextAsync(settings, """{ "resolution": "fine" }""");
        using var output = new SyncWriter();
        using var error = new SyncWriter();

        var exit = await CliApplication.RunAsync(["--settings", settings, "--generate", "sine:440", "--port", "0", "--duration", "1"], output, error, Wait.Token());

        Assert.NotEqual(0, exit);
        Assert.Contains($"--settings {settings}: resolution is 'fine'; it must be network, full, or keys", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveSettings_OscMaxPacketFlag_IsTheOscProtocolsMaxPacketBytes()
    {
        var path = Path.Combine(TestFiles.TempDirectory(), "saved.json");
        using var output = new SyncWriter();
        using var error = new SyncWriter();
        var exit = await CliApplication.RunAsync(
            ["--generate", "sine:440", "--port", "0", "--osc", "127.0.0.1:9", "--osc-max-packet", "1400", "--save-settings", path, "--duration", "1", "--view", "plain", "--log-level", "error"],
            output, error, Wait.Token());
        Assert.True(exit == 0, error.Text);

        var saved = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        var osc = saved["protocols"]!.AsArray().Single(p => (string?)p!["kind"] == "osc")!;
        Assert.Equal(1400, (int)osc["options"]!["max_packet_bytes"]!);
    }

    [Fact]
    public async Task SaveSettings_TcpAndEndpointToken_IsKeptAndServedAgainAfterLoad()
    {
        var directory = TestFiles.TempDirectory();
        var path = Path.Combine(directory, "saved.json");
        const string Token = "s3cret-token";
        using var output = new SyncWriter();
        using var error = new SyncWriter();
        var first = await CliApplication.RunAsync(
            ["--generate", "sine:440", "--port", "0", "--tcp", "--tcp-port", "0", "--token", Token, "--save-settings", path, "--duration", "1", "--view", "plain", "--log-level", "error"],
            output, error, Wait.Token());
        Assert.True(first == 0, error.Text);

        var saved = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal(Token, (string?)saved["endpoints"]!["access_token"]);
        var tcp = saved["protocols"]!.AsArray().Single(p => (string?)p!["kind"] == "tcp")!;
        Assert.Equal(Token, (string?)tcp["options"]!["access_token"]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        // Load it again (on a free port): the TCP protocol still demands the token.
        tcp["port"] = 0;
        await File.WriteAllTextAsync(path, saved.ToJsonString());
        using var output2 = new SyncWriter();
        using var error2 = new SyncWriter();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wait.Token());
        var second = CliApplication.RunAsync(["--settings", path, "--view", "plain", "--log-level", "error"], output2, error2, cts.Token);
        try
        {
            await Wait.UntilAsync(() => output2.Text.Contains("TCP ", StringComparison.Ordinal) || second.IsCompleted, "the second run to print its TCP endpoint");
            Assert.False(second.IsCompleted, error2.Text);
            var port = int.Parse(System.Text.RegularExpressions.Regex.Match(output2.Text, @"TCP\s+localhost:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            Assert.Contains("\"error\"", await ExchangeAsync(port, "{\"action\":\"auth\",\"token\":\"wrong\"}\n"), StringComparison.Ordinal);
            Assert.Contains("\"authenticated\"", await ExchangeAsync(port, $"{{\"action\":\"auth\",\"token\":\"{Token}\"}}\n"), StringComparison.Ordinal);
        }
        finally
        {
            await cts.CancelAsync();
            Assert.Equal(0, await second.WaitAsync(Wait.Timeout));
        }
    }

    [Fact]
    public async Task SaveSettingsThenLoadSettings_InTheLibrary_KeepsTheTcpToken()
    {
        var path = Path.Combine(TestFiles.TempDirectory(), "library.json");
        await using (var api = new StreamingApi())
        {
            api.AddProtocol(new Server.Tcp.TcpProtocol("localhost", 0, new Server.Tcp.TcpProtocolOptions { AccessToken = "abc" }));
            Configuration.StreamingSettingsExtensions.SaveSettings(api, path, ServerProtocolKinds.All);
        }

        await using var restored = new StreamingApi();
        Configuration.StreamingSettingsExtensions.LoadSettings(restored, path, ServerProtocolKinds.All);

        var tcp = Assert.IsType<Server.Tcp.TcpProtocol>(Assert.Single(restored.Protocols));
        Assert.Equal("abc", tcp.Options.AccessToken);
    }

    /// <summary>Sends one line and reads until the server has answered (an authenticated reply, or an error and FIN).</summary>
    private static async Task<string> ExchangeAsync(int port, string line)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Wait.Token());
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line), Wait.Token());
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\"authenticated\"", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, Wait.Token());
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}
