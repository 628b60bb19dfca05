using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Friture.Streaming.Cli.Commands;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>friture-stream run in-process against the generator and WAV files: output, exit codes, settings.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class CliApplicationTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new SyncWriter();
        using var error = new SyncWriter();
        var exit = await CliApplication.RunAsync(args, output, error, Wait.Token());
        return (exit, output.Text, error.Text);
    }

    [Fact]
    public async Task RunAsync_Generator440_FirstLineNamesInputThenUrlsThenA4()
    {
        var (exit, output, error) = await RunAsync("--generate", "sine:440", "--port", "0", "--duration", "4", "--view", "plain", "--interval", "0.5", "--log-level", "error");

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("friture-stream: analysing signal generator: 440 Hz sine", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^Dashboard\s+http://localhost:\d+/$", lines[1]);
        Assert.Matches(@"^WebSocket\s+ws://localhost:\d+/ws$", lines[2]);
        Assert.Matches(@"^SSE\s+http://localhost:\d+/events$", lines[3]);
        Assert.Contains(lines, l => l.Contains("pitch A4 440.", StringComparison.Ordinal) && l.Contains("peaks 44", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ch1 peak -6.0", StringComparison.Ordinal));
        Assert.Contains("stopping (duration reached)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WavFile_AnalysesItAndStopsAtTheEnd()
    {
        var directory = TestFiles.TempDirectory();
        var wav = TestFiles.SineWav(directory, 220, 2.5);

        var (exit, output, error) = await RunAsync("--input", wav, "--port", "0", "--view", "plain", "--interval", "0.5", "--log-level", "error", "--no-sse");

        Assert.True(exit == 0, error);
        Assert.StartsWith($"friture-stream: analysing WAV file {wav} (48000 Hz, 2 ch, 2.5 s)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SSE ", output, StringComparison.Ordinal);
        Assert.Contains("pitch A3 220.", output, StringComparison.Ordinal);
        Assert.Contains("stopping (end of input)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--port", "70000" }, "--port is 70000; it must be between 0 and 65535.")]
    [InlineData(new[] { "--generate", "saw:3" }, "--generate is 'saw:3'; the waveform must be sine, sweep, white, pink or burst.")]
    [InlineData(new[] { "--fft-size", "1000" }, "--fft-size is 1000; it must be a power of two from 32 to 16384.")]
    [InlineData(new[] { "--input", "/no/such/file.wav" }, "--input is '/no/such/file.wav'; that file does not exist.")]
    [InlineData(new[] { "--generate", "sine", "--input", "x.wav" }, "give at most one of them")]
    [InlineData(new[] { "--rate", "levels=fast" }, "--rate is 'levels=fast'; it must be data_type=Hz")]
    [InlineData(new[] { "--rate", "nope=3" }, "--rate names 'nope', which is not a data type")]
    [InlineData(new[] { "--loudness-rate", "-1" }, "--loudness-rate is -1; it must be between 0 (unlimited) and 1000")]
    [InlineData(new[] { "--udp", "localhost" }, "--udp is 'localhost'; it must be host:port")]
    [InlineData(new[] { "--view", "fancy" }, "--view is 'fancy'; it must be one of auto, live, plain.")]
    [InlineData(new[] { "--duration", "-1" }, "--duration is -1; it must be above 0")]
    [InlineData(new[] { "--mqtt", "broker" }, "--mqtt is 'broker'; it must be host:port")]
    [InlineData(new[] { "--osc", "localhost:99999" }, "--osc is 'localhost:99999'; it must be host:port")]
    [InlineData(new[] { "--osc", "127.0.0.1:9000", "--osc-max-packet", "10" }, "--osc-max-packet")]
    [InlineData(new[] { "--osc-max-packet", "1400" }, "--osc-max-packet needs --osc host:port")]
    [InlineData(new[] { "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "--port", "eighty" }, "eighty")]
    public async Task RunAsync_BadFlag_Exit2WithMessageNamingFlagAndValue(string[] args, string expected)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(CliApplication.ExitUsage, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("friture-stream --help", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task RunAsync_Help_ListsEveryFlagAndExits0()
    {
        var (exit, output, _) = await RunAsync("--help");

        Assert.Equal(0, exit);
        foreach (var flag in new[] { "--input", "--generate", "--tcp", "--udp", "--settings", "--save-settings", "--duration", "--port", "--view" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_SaveSettingsThenLoad_RoundTripsRatesAndTcp()
    {
        var directory = TestFiles.TempDirectory();
        var path = Path.Combine(directory, "settings.json");
        var jsonl = Path.Combine(directory, "pitch.jsonl");
        var seed = Path.Combine(directory, "seed.json");
        await File.WriteAllTextAsync(seed, $$"""
            { "consumers": [ { "kind": "file", "data_types": ["pitch_tracker"], "file_path": {{JsonSerializer.Serialize(jsonl)}} } ] }
            """);

        var first = await RunAsync("--generate", "sine:440", "--port", "0", "--tcp", "--tcp-port", "0", "--rate", "levels=20",
            "--settings", seed, "--save-settings", path, "--duration", "2", "--view", "plain", "--log-level", "error");

        Assert.True(first.Exit == 0, first.Err);
        Assert.Contains($"settings saved to {path}", first.Out, StringComparison.Ordinal);
        Assert.Matches(@"TCP\s+localhost:\d+", first.Out);
        using (var saved = JsonDocument.Parse(await File.ReadAllTextAsync(path)))
        {
            var root = saved.RootElement;
            Assert.Equal(20, root.GetProperty("rate_limits").GetProperty("levels").GetDouble());
            var protocols = root.GetProperty("protocols").EnumerateArray().ToList();
            var tcp = Assert.Single(protocols);
            Assert.Equal("tcp", tcp.GetProperty("kind").GetString());
            Assert.Equal(jsonl, root.GetProperty("consumers")[0].GetProperty("file_path").GetString());
        }

        // Flushed on stop: every line is a complete pitch message.
        var lines = await File.ReadAllLinesAsync(jsonl);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains("\"note_name\":\"A4\"", l, StringComparison.Ordinal));

        // Load what was saved, on a fresh TCP port.
        var settings = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        settings["protocols"]![0]!["port"] = 0;
        settings["consumers"]!.AsArray().Clear();
        await File.WriteAllTextAsync(path, settings.ToJsonString());

        var second = await RunAsync("--generate", "sine:440", "--port", "0", "--settings", path, "--duration", "1", "--view", "plain", "--log-level", "error");

        Assert.True(second.Exit == 0, second.Err);
        Assert.Matches(@"TCP\s+localhost:\d+", second.Out);
    }

    [Fact]
    public async Task RunAsync_LoudnessRate_SetsTheRateAndTheLoudnessAnalyzerRuns()
    {
        var directory = TestFiles.TempDirectory();
        var path = Path.Combine(directory, "settings.json");
        var jsonl = Path.Combine(directory, "loudness.jsonl");
        var seed = Path.Combine(directory, "seed.json");
        await File.WriteAllTextAsync(seed, $$"""
            { "consumers": [ { "kind": "file", "data_types": ["loudness"], "file_path": {{JsonSerializer.Serialize(jsonl)}} } ] }
            """);

        var run = await RunAsync("--generate", "sine:1000", "--port", "0", "--no-dashboard", "--loudness-rate", "5",
            "--settings", seed, "--save-settings", path, "--duration", "2", "--view", "plain", "--log-level", "error");

        Assert.True(run.Exit == 0, run.Err);
        using (var saved = JsonDocument.Parse(await File.ReadAllTextAsync(path)))
        {
            Assert.Equal(5, saved.RootElement.GetProperty("rate_limits").GetProperty("loudness").GetDouble());
        }

        var lines = await File.ReadAllLinesAsync(jsonl);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains("\"data_type\":\"loudness\"", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"momentary_lufs\":-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_OscFlag_SendsOscPacketsToTheTarget()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        var run = RunAsync("--generate", "sine:440", "--port", "0", "--no-dashboard", "--osc", $"127.0.0.1:{port}", "--duration", "3", "--view", "plain", "--log-level", "error");

        var packet = await receiver.ReceiveAsync(Wait.Token());
        var (exit, output, error) = await run;

        Assert.True(exit == 0, error);
        Assert.Contains($"OSC        to 127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.Equal((byte)'/', packet.Buffer[0] == (byte)'#' ? packet.Buffer[16 + 4] : packet.Buffer[0]);
    }

    [Fact]
    public async Task RunAsync_InvalidSettingsFile_Exit2NamingTheSetting()
    {
        var path = Path.Combine(TestFiles.TempDirectory(), "bad.json");
        await File.WriteAllTextAsync(path, """{ "rate_limits": { "levels": -5 } }""");

        var (exit, _, error) = await RunAsync("--generate", "sine", "--port", "0", "--settings", path);

        Assert.Equal(CliApplication.ExitUsage, exit);
        Assert.Contains("rate_limits.levels is -5", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PortInUse_Exit1SayingSo()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        var (exit, _, error) = await RunAsync("--generate", "sine", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "1", "--log-level", "none");

        Assert.Equal(CliApplication.ExitFailure, exit);
        Assert.Contains("cannot start", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsCleanlyAndFreesThePort()
    {
        using var output = new SyncWriter();
        using var error = new SyncWriter();
        using var cts = new CancellationTokenSource();
        var run = CliApplication.RunAsync(["--generate", "sine:440", "--port", "0", "--tcp", "--tcp-port", "0", "--view", "plain", "--log-level", "error"], output, error, cts.Token);
        await Wait.UntilAsync(() => output.Text.Contains("TCP ", StringComparison.Ordinal), "the CLI to print its endpoints");
        var tcpPort = int.Parse(System.Text.RegularExpressions.Regex.Match(output.Text, @"TCP\s+localhost:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        await cts.CancelAsync();
        var exit = await run.WaitAsync(Wait.Timeout);

        Assert.True(exit == 0, error.Text);
        Assert.Contains("stopping (interrupted)", output.Text, StringComparison.Ordinal);
        using var rebind = new TcpListener(IPAddress.Loopback, tcpPort);
        rebind.Start();
    }
}
