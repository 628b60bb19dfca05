using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Friture.Streaming.Audio;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>
/// friture-stream in a real pseudo-terminal (a tmux pane, read back with <c>capture-pane</c>): the live view owns the
/// screen while log lines are written (they go to its scroll area and to <c>--log-file</c>, never into the view), the
/// header is shown once. And a mono WAV gives no error lines, only one notice about the delay estimator.
/// </summary>
public sealed partial class LiveViewTerminalTests
{
    private static string Cli => Path.Combine(AppContext.BaseDirectory, "friture-stream.dll");

    [Fact]
    public async Task LiveView_WarningsLoggedWhileRunning_ScreenStaysIntact()
    {
        if (!File.Exists("/usr/bin/tmux"))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "/usr/bin/tmux is missing; scripts/ci/tmux.sh installs it.");
            Assert.Skip("tmux is not installed (run scripts/ci/tmux.sh).");
        }

        var directory = TestFiles.TempDirectory();
        var logFile = Path.Combine(directory, "friture.log");
        var socket = "friture-test-" + Guid.NewGuid().ToString("N")[..8];
        var command = $"dotnet {Cli} --generate sine:440 --port 0 --view live --log-level information --log-file {logFile} --duration 120";
        await TmuxAsync(socket, "new-session", "-d", "-x", "150", "-y", "60", command);
        try
        {
            var port = 0;
            await Wait.UntilAsync(async () =>
            {
                var match = DashboardLine().Match(await TmuxAsync(socket, "capture-pane", "-p"));
                port = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
                return port > 0;
            }, "the live view with its dashboard URL");

            // Every request logs information lines; a bad WebSocket upgrade logs a warning.
            using var http = new HttpClient();
            for (var i = 0; i < 20; i++)
            {
                using var response = await http.GetAsync(new Uri($"http://localhost:{port}/ws"), Wait.Token());
                Assert.False(response.IsSuccessStatusCode);
            }

            await Wait.UntilAsync(() => File.Exists(logFile) && File.ReadAllLines(logFile).Count(l => l.Contains(" warn ", StringComparison.Ordinal)) >= 20, "20 warnings in the log file");
            string screen = string.Empty;
            await Wait.UntilAsync(async () =>
            {
                screen = await TmuxAsync(socket, "capture-pane", "-p");
                return screen.Contains(" warn ", StringComparison.Ordinal) && screen.Contains("A4", StringComparison.Ordinal);
            }, "the scroll area to show the warnings and the tuner A4");

            var lines = screen.Split('\n');
            Assert.Single(lines, l => l.Contains("Dashboard  http", StringComparison.Ordinal));
            Assert.Single(lines, l => l.Contains("Levels (dBFS)", StringComparison.Ordinal));
            Assert.Single(lines, l => l.Contains("Ctrl+C to stop", StringComparison.Ordinal));
            var logHeader = Array.FindIndex(lines, l => l.StartsWith("log (", StringComparison.Ordinal));
            Assert.True(logHeader > 0, screen);
            // Log lines only under the view: none above the scroll area's header, none in the console logger's format.
            for (var i = 0; i < logHeader; i++)
            {
                Assert.False(LogLine().IsMatch(lines[i]), $"a log line inside the view at row {i}:\n{screen}");
            }

            Assert.DoesNotContain(lines, l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("info:", StringComparison.Ordinal));
            Assert.Contains(lines.Skip(logHeader + 1), l => LogLine().IsMatch(l));
            await File.WriteAllTextAsync(Path.Combine(TestFiles.ArtifactsDirectory(), "live-view.txt"), screen);
        }
        finally
        {
            await TmuxAsync(socket, "kill-server");
        }
    }

    [Fact]
    public async Task MonoWav_ThroughTheCli_NoErrorLinesOneDelayNotice()
    {
        var directory = TestFiles.TempDirectory();
        var wav = Path.Combine(directory, "mono.wav");
        using (var writer = new WavWriter(wav, new AudioFormat(48000, 1)))
        {
            var block = new float[48000];
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / 48000));
            }

            writer.Write(block);
            writer.Write(block);
        }

        var (exit, output, error) = await RunAsync(Cli, "--input", wav, "--port", "0", "--view", "plain", "--interval", "0.5");

        Assert.True(exit == 0, $"exit {exit}: {error}");
        var errorLines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(errorLines, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
        Assert.DoesNotContain(errorLines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        // One notice; on a loaded machine an audio overrun warning may join it, nothing else.
        Assert.Single(errorLines, l => l.Contains("Delay estimator inactive: the input has 1 channel", StringComparison.Ordinal));
        Assert.All(errorLines, l => Assert.True(l.Contains("Delay estimator inactive", StringComparison.Ordinal) || l.Contains("Audio overrun", StringComparison.Ordinal), l));
        Assert.Contains("delay inactive (the input has 1 channel)", output, StringComparison.Ordinal);
        Assert.Contains("pitch A4", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Wait.Token());
        return (process.ExitCode, await output, await error);
    }

    private static async Task<string> TmuxAsync(string socket, params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Wait.Token());
        return output;
    }

    [GeneratedRegex(@"Dashboard\s+http://localhost:(\d+)/")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"\d\d:\d\d:\d\d (trce|dbug|info|warn|fail|crit) ")]
    private static partial Regex LogLine();
}
