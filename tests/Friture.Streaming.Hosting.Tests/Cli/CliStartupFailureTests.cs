using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>
/// friture-stream as a real process when it cannot start or is given bad flags: one clear line on stderr with the likely
/// fix, no stack trace at the default log level, the flag named as typed; and no HTTP listener without web endpoints.
/// </summary>
public sealed class CliStartupFailureTests
{
    internal static async Task<(int Exit, string Out, string Err)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "friture-stream.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Wait.Token());
        var error = process.StandardError.ReadToEndAsync(Wait.Token());
        try
        {
            await process.WaitForExitAsync(Wait.Token());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output, await error);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertNoStackTrace(string error)
    {
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [\w.`<>]+\(", error);
        Assert.DoesNotContain("Exception:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_WebPortInUse_OneLineSuggestingPort0()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var (exit, _, error) = await RunProcessAsync("--generate", "sine", "--host", "127.0.0.1", "--port", port, "--duration", "5", "--view", "plain");

        Assert.Equal(1, exit);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("friture-stream: error: cannot start:", line, StringComparison.Ordinal);
        Assert.Contains(port, line, StringComparison.Ordinal);
        Assert.Contains("--port 0", line, StringComparison.Ordinal);
        AssertNoStackTrace(error);
    }

    [Fact]
    public async Task Process_TcpPortInUse_OneLineSuggestingTcpPort0()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var (exit, _, error) = await RunProcessAsync("--generate", "sine", "--port", "0", "--tcp", "--tcp-port", port, "--duration", "5", "--view", "plain");

        Assert.Equal(1, exit);
        var line = Assert.Single(Lines(error));
        Assert.Contains(port, line, StringComparison.Ordinal);
        Assert.Contains("--tcp-port 0", line, StringComparison.Ordinal);
        AssertNoStackTrace(error);
    }

    [Fact]
    public async Task Process_NoSuchDevice_OneLinePointingToListDevices()
    {
        var (exit, _, error) = await RunProcessAsync("--device", "nosuch_device_for_test", "--port", "0", "--duration", "5", "--view", "plain");

        Assert.Equal(1, exit);
        var line = Assert.Single(Lines(error));
        Assert.Contains("nosuch_device_for_test", line, StringComparison.Ordinal);
        Assert.Contains("--list-devices", line, StringComparison.Ordinal);
        AssertNoStackTrace(error);
    }

    [Theory]
    [InlineData(new[] { "--generate", "sine:30000" }, "--generate is 'sine:30000'", "FrequencyHz")]
    [InlineData(new[] { "--fft-size", "1000" }, "--fft-size is 1000;", "FftSize")]
    [InlineData(new[] { "--channels", "0" }, "--channels is 0;", "input.channels")]
    [InlineData(new[] { "--sample-rate", "1000" }, "--sample-rate is 1000;", "input.sample_rate")]
    [InlineData(new[] { "--bands-per-octave", "5" }, "--bands-per-octave is 5;", "BandsPerOctave")]
    [InlineData(new[] { "--pitch-min", "1" }, "--pitch-min is 1 Hz;", "MinFrequencyHz")]
    [InlineData(new[] { "--block-size", "4" }, "--block-size is 4;", "block_size")]
    public async Task Process_BadFlagValue_NamesTheFlagAsTyped(string[] args, string expected, string internalName)
    {
        var (exit, output, error) = await RunProcessAsync([.. args, "--port", "0", "--duration", "5"]);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        var line = Lines(error)[0];
        Assert.StartsWith("friture-stream: error: " + expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(internalName, error, StringComparison.Ordinal);
        AssertNoStackTrace(error);
    }

    [Fact]
    public async Task Process_FileConsumerPathCannotBeOpened_OneLineNamingThePath()
    {
        var directory = TestFiles.TempDirectory();
        var blocker = Path.Combine(directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "x");
        var target = Path.Combine(blocker, "levels.jsonl");
        var settings = Path.Combine(directory, "settings.json");
        await File.WriteAllTextAsync(settings, $$"""
            { "consumers": [ { "kind": "file", "data_types": ["levels"], "file_path": {{System.Text.Json.JsonSerializer.Serialize(target)}} } ] }
            """);

        var (exit, output, error) = await RunProcessAsync("--generate", "sine", "--port", "0", "--settings", settings, "--duration", "5", "--view", "plain");

        Assert.True(exit is 1 or 2, $"exit {exit}");
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(Lines(error), l => l.StartsWith("friture-stream: error:", StringComparison.Ordinal));
        Assert.Contains(target, line, StringComparison.Ordinal);
        Assert.Contains("consumers[0]", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        AssertNoStackTrace(error);
    }

    [Fact]
    public async Task Process_NoWebEndpoints_OpensNoHttpListener()
    {
        // Today's fault: the web host listened on its default port 5000 anyway, and failed to start when 5000 was taken.
        TcpListener? blocker = null;
        try
        {
            blocker = new TcpListener(IPAddress.Loopback, 5000);
            blocker.Start();
        }
        catch (SocketException)
        {
            blocker?.Dispose();
            blocker = null; // Something else holds 5000: the run below must start all the same.
        }

        try
        {
            var (exit, output, error) = await RunProcessAsync(
                "--generate", "sine", "--no-websocket", "--no-sse", "--no-dashboard", "--tcp", "--tcp-port", "0",
                "--duration", "1", "--view", "plain", "--log-level", "information");

            Assert.True(exit == 0, error);
            Assert.Matches(@"TCP\s+localhost:\d+", output);
            Assert.DoesNotContain("Dashboard", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening on", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.AspNetCore", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.Hosting.Lifetime", error, StringComparison.Ordinal);
        }
        finally
        {
            blocker?.Dispose();
        }
    }
}
