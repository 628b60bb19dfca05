using System.Diagnostics;
using System.Globalization;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>
/// friture-stream as a real process when its audio input fails: at start (a corrupt file) or while streaming (a file
/// cut short while it plays, a PulseAudio source that disappears). Each time: one error line on stderr naming the input
/// and the likely fix, no stack trace and no second report of the same failure at the default log level; while
/// streaming, a clean stop (consumers flushed, the summary printed) and exit code 1.
/// </summary>
public sealed class CliInputFailureTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertOneErrorLineAndNoStackTrace(string error, string about, out string line)
    {
        var lines = Lines(error);
        line = Assert.Single(lines, l => l.StartsWith("friture-stream: error:", StringComparison.Ordinal));
        var theLine = line;
        Assert.DoesNotContain(lines, l => !ReferenceEquals(l, theLine) && l.Contains(about, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [\w.`<>]+\(", error);
    }

    [Fact]
    public async Task Process_CorruptInputFile_OneLineNamingTheFileAndTheProblem()
    {
        var directory = TestFiles.TempDirectory();
        var path = Path.Combine(directory, "corrupt.wav");
        var bytes = await File.ReadAllBytesAsync(TestFiles.SineWav(directory, 1000, 0.1));
        bytes[20] = 0x55; // the format tag: no such encoding
        await File.WriteAllBytesAsync(path, bytes);

        var (exit, output, error) = await CliStartupFailureTests.RunProcessAsync("--input", path, "--port", "0", "--duration", "5", "--view", "plain");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        AssertOneErrorLineAndNoStackTrace(error, "corrupt.wav", out var line);
        Assert.StartsWith("friture-stream: error: the audio input cannot be opened: WAV file ", line, StringComparison.Ordinal);
        Assert.Contains(path, line, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Process_FileCutShortWhilePlaying_OneErrorLineCleanStopExit1()
    {
        var directory = TestFiles.TempDirectory();
        var path = TestFiles.SineWav(directory, 1000, 30);
        await using (var cli = CliProcess.Start("--input", path, "--port", "0", "--view", "plain", "--interval", "0.2", "--duration", "60"))
        {
            await Wait.UntilAsync(() => cli.Output.Contains("ch1 peak", StringComparison.Ordinal) || cli.HasExited, "a first analysed line");
            Assert.False(cli.HasExited, cli.Output + cli.Error);

            // Cut the file to 0.1 s of audio under the player (a shared lock, as a copy tool or a full disk would leave it).
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                file.SetLength(44 + (48_000 * 2 * 4 / 10));
            }

            await cli.WaitForExitAsync();

            Assert.Equal(1, cli.ExitCode);
            AssertOneErrorLineAndNoStackTrace(cli.Error, "failed", out var line);
            Assert.StartsWith("friture-stream: error: the audio input stopped: WAV file ", line, StringComparison.Ordinal);
            Assert.Contains(path, line, StringComparison.Ordinal);
            Assert.Contains("Check that the file is complete", line, StringComparison.Ordinal);
            Assert.Contains("friture-stream: stopping (audio input failed)", cli.Output, StringComparison.Ordinal);
            Assert.Contains("stopped after", cli.Output, StringComparison.Ordinal);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)]
    public async Task Process_PulseAudioSourceUnloadedWhileCapturing_OneErrorLineNamingTheDeviceExit1()
    {
        if (!OperatingSystem.IsLinux() || Prerequisite.FindProgram("pactl") is null || (await RunAsync("pactl", "info")).Exit != 0)
        {
            Prerequisite.Missing("no PulseAudio daemon; run scripts/ci/pulseaudio.sh");
        }

        // A null sink of this test's own, unloaded while friture-stream records its monitor: what unplugging a USB
        // microphone does to a PulseAudio client.
        var sink = "friture_unplug_" + Guid.NewGuid().ToString("N")[..8];
        var (loaded, module) = await RunAsync("pactl", "load-module", "module-null-sink", "sink_name=" + sink, "rate=48000", "channels=2");
        Assert.True(loaded == 0, module);
        var moduleId = module.Trim();
        try
        {
            await using var cli = CliProcess.Start("--device", sink + ".monitor", "--port", "0", "--no-dashboard", "--view", "plain", "--interval", "0.2", "--duration", "60");
            await Wait.UntilAsync(() => cli.Output.Contains("ch1 peak", StringComparison.Ordinal) || cli.HasExited, "a first analysed line");
            Assert.False(cli.HasExited, cli.Output + cli.Error);

            var (unloaded, log) = await RunAsync("pactl", "unload-module", moduleId);
            Assert.True(unloaded == 0, log);
            moduleId = null;
            await cli.WaitForExitAsync();

            Assert.Equal(1, cli.ExitCode);
            AssertOneErrorLineAndNoStackTrace(cli.Error, "failed", out var line);
            Assert.StartsWith("friture-stream: error: the audio input stopped: PulseAudio " + sink + ".monitor", line, StringComparison.Ordinal);
            Assert.Contains("--list-devices", line, StringComparison.Ordinal);
            Assert.Contains("friture-stream: stopping (audio input failed)", cli.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (moduleId is not null)
            {
                await RunAsync("pactl", "unload-module", moduleId);
            }
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Wait.Token());
        return (process.ExitCode, await output + await error);
    }
}
