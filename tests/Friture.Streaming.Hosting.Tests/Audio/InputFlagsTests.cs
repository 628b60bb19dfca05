using Friture.Streaming.Cli.Commands;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Audio;

/// <summary>friture-stream's input flags on Linux: --loopback captures a PulseAudio monitor, --wavein says it is Windows only, conflicts are usage errors.</summary>
public sealed class InputFlagsTests
{
    private static readonly string SinkName = Environment.GetEnvironmentVariable("FRITURE_TEST_SINK") ?? "friture_test";

    [Fact]
    public async Task Loopback_WithAMonitorDevice_CapturesWhatThatOutputPlays()
    {
        if (!OperatingSystem.IsLinux() || !await DaemonAsync())
        {
            Prerequisite.Missing("no PulseAudio daemon with the test sink; run scripts/ci/pulseaudio.sh");
        }

        var (exit, output, error) = await RunAsync("--loopback", "--device", SinkName + ".monitor", "--duration", "1", "--view", "plain", "--interval", "0.2",
            "--no-dashboard", "--port", "0", "--log-level", "error");

        Assert.True(exit == 0, error + output);
        Assert.StartsWith($"friture-stream: analysing what plays: {SinkName}.monitor", output, StringComparison.Ordinal);
        Assert.Contains("stopping (duration reached)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaveIn_OnLinux_OneClearErrorSayingItIsWindowsOnly()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("checks the Linux answer");
        }

        var (exit, _, error) = await RunAsync("--wavein", "--duration", "1", "--no-dashboard", "--port", "0");

        Assert.NotEqual(0, exit);
        Assert.Contains("WaveIn (--wavein) is WinMM, on Windows only", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--loopback", "--wavein" }, "--loopback and --wavein exclude each other")]
    [InlineData(new[] { "--loopback", "--generate", "sine" }, "give at most one of them")]
    [InlineData(new[] { "--wavein", "--input", "x.wav" }, "give at most one of them")]
    public async Task ConflictingInputFlags_UsageErrorNamingThem(string[] args, string expected)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(CliApplication.ExitUsage, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new SyncWriter();
        using var error = new SyncWriter();
        var exit = await CliApplication.RunAsync(args, output, error, Wait.Token());
        return (exit, output.Text, error.Text);
    }

    private static async Task<bool> DaemonAsync()
    {
        try
        {
            using var pactl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pactl", ["list", "short", "sources"]) { RedirectStandardOutput = true })!;
            var text = await pactl.StandardOutput.ReadToEndAsync();
            await pactl.WaitForExitAsync();
            return pactl.ExitCode == 0 && text.Contains(SinkName + ".monitor", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
