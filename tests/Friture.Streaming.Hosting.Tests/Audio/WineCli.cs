using System.Diagnostics;
using System.Text;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Audio;

/// <summary>
/// friture-stream published once per test run for win-x64 (self-contained), and run under Wine against the PulseAudio
/// daemon and null sink that <c>scripts/ci/wine.sh</c> prepares.
/// </summary>
public sealed class WineCli : IAsyncLifetime
{
    /// <summary>The null sink the Wine tests play into (its monitor is Wine's default capture device).</summary>
    public static readonly string Sink = Environment.GetEnvironmentVariable("FRITURE_WINE_SINK") ?? "friture_wine";

    private static readonly string WineDirectory = Environment.GetEnvironmentVariable("FRITURE_WINE_DIR") ?? "/tmp/friture-wine";

    /// <summary>Why the tests cannot run here (null when they can).</summary>
    public string? Missing { get; private set; }

    /// <summary>The published friture-stream.exe.</summary>
    public string Executable { get; private set; } = string.Empty;

    /// <summary>A 1 kHz sine at -20 dBFS peak (-23.01 dBFS RMS), stereo, 48 kHz, 60 s: played for every capture.</summary>
    public string Tone { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            Missing = "the Wine tests run on Linux";
            return;
        }

        foreach (var tool in new[] { "wine", "paplay", "pactl", "sox" })
        {
            if (!File.Exists(Path.Combine("/usr/bin", tool)))
            {
                Missing = $"{tool} is missing; scripts/ci/wine.sh installs it";
                return;
            }
        }

        var (exit, sinks) = await RunAsync("pactl", ["list", "short", "sinks"], TimeSpan.FromSeconds(20));
        if (exit != 0 || !sinks.Contains(Sink, StringComparison.Ordinal))
        {
            Missing = $"no PulseAudio null sink '{Sink}'; scripts/ci/wine.sh starts the daemon and loads it";
            return;
        }

        Executable = await PublishAsync(Path.Combine("src", "Friture.Streaming.Cli"), "Release");
        var output = Path.GetDirectoryName(Executable)!;
        Tone = Path.Combine(output, "tone-1khz.wav");
        var (toneExit, toneLog) = await RunAsync("sox", ["-n", "-r", "48000", "-c", "2", "-b", "16", Tone, "synth", "60", "sine", "1000", "vol", "0.1"], TimeSpan.FromSeconds(30));
        Assert.True(toneExit == 0, toneLog);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var directory in _published.Values.Where(static t => t.IsCompletedSuccessfully).Select(static t => Path.GetDirectoryName(t.Result)!))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A Wine process still holding a file: the temp folder is cleaned by the system.
            }
        }

        return ValueTask.CompletedTask;
    }

    private readonly Dictionary<string, Task<string>> _published = [];

    /// <summary>The repository's root folder.</summary>
    public static string Root => RepositoryRoot();

    /// <summary>
    /// Publishes a project of the repository for win-x64 (self-contained) once per test run and configuration, and
    /// returns its executable.
    /// </summary>
    /// <param name="project">The project's folder, relative to the repository root.</param>
    /// <param name="configuration">Debug or Release.</param>
    public Task<string> PublishAsync(string project, string configuration)
    {
        lock (_published)
        {
            var key = project + "|" + configuration;
            if (!_published.TryGetValue(key, out var task))
            {
                task = PublishOnceAsync(project, configuration);
                _published[key] = task;
            }

            return task;
        }
    }

    private static async Task<string> PublishOnceAsync(string project, string configuration)
    {
        var output = Path.Combine(Path.GetTempPath(), $"friture-wine-{Path.GetFileName(project)}-{configuration}-{Environment.ProcessId}");
        var (published, log) = await RunAsync("dotnet",
            ["publish", Path.Combine(RepositoryRoot(), project), "-c", configuration, "-r", "win-x64", "--self-contained", "true",
             "-p:PublishSingleFile=false", "-o", output, "--nologo"], TimeSpan.FromMinutes(15));
        var configs = Directory.Exists(output) ? Directory.GetFiles(output, "*.runtimeconfig.json") : [];
        Assert.True(published == 0 && configs.Length == 1, $"dotnet publish of {project} for win-x64 failed:\n" + log);
        var executable = configs[0][..^".runtimeconfig.json".Length] + ".exe";
        Assert.True(File.Exists(executable), $"no {executable} after publishing {project}");
        return executable;
    }

    /// <summary>
    /// Runs a published program under Wine (while the tone plays when <paramref name="playTone"/>) until it exits or
    /// <paramref name="done"/> holds for what it printed, then stops it. Returns its exit code (-1 when stopped) and output.
    /// </summary>
    public async Task<(int Exit, string Output)> RunUntilAsync(string executable, string[] args, bool playTone, Func<string, bool> done, string? workingDirectory = null)
    {
        Process? player = null;
        try
        {
            if (playTone)
            {
                player = Process.Start(new ProcessStartInfo("paplay", ["--device=" + Sink, Tone]) { RedirectStandardError = true })!;
            }

            var start = WineStart(executable, args);
            if (workingDirectory is not null)
            {
                start.WorkingDirectory = workingDirectory;
            }

            using var process = Process.Start(start)!;
            var text = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            string Text()
            {
                lock (text)
                {
                    return text.ToString();
                }
            }

            try
            {
                await Wait.UntilAsync(() => process.HasExited || done(Text()), $"{Path.GetFileName(executable)} {string.Join(' ', args)} under Wine to print what the test waits for", TimeSpan.FromMinutes(2));
            }
            catch (TimeoutException)
            {
                // Reported below through the output the test checks.
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                return (-1, Text());
            }

            await process.WaitForExitAsync(CancellationToken.None);
            return (process.ExitCode, Text());
        }
        finally
        {
            await StopPlayerAsync(player);
        }
    }

    private static ProcessStartInfo WineStart(string executable, string[] args)
    {
        var start = new ProcessStartInfo("wine", [executable, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["WINEPREFIX"] = Path.Combine(WineDirectory, "prefix");
        start.Environment["WINEDEBUG"] = "-all";
        start.Environment["PULSE_SOURCE"] = Sink + ".monitor";
        start.Environment["PULSE_SINK"] = Sink;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    /// <summary>Skips (visibly) when Wine or the daemon is missing, except under CI=true, where it fails.</summary>
    public void Require()
    {
        if (Missing is not null)
        {
            Prerequisite.Missing(Missing);
        }
    }

    /// <summary>
    /// Runs friture-stream.exe under Wine (while the tone plays when <paramref name="playTone"/>), and retries once when
    /// Wine crashed (about 1 run in 20 ends in an internal CLR error in a finalizer; a crashed Wine process can still exit 0,
    /// so the printed output decides, through <paramref name="complete"/>).
    /// </summary>
    public async Task<(int Exit, string Output, bool Retried)> RunCliAsync(string[] args, bool playTone, Func<string, bool> complete)
    {
        var first = await RunOnceAsync(args, playTone);
        if (complete(first.Output) && !Crashed(first.Output))
        {
            return (first.Exit, first.Output, false);
        }

        TestContext.Current.SendDiagnosticMessage($"friture-stream {string.Join(' ', args)} under Wine: retrying once; the first run printed:\n{first.Output}");
        var second = await RunOnceAsync(args, playTone);
        return (second.Exit, second.Output, true);
    }

    private static bool Crashed(string output) =>
        output.Contains("Internal CLR error", StringComparison.Ordinal) || output.Contains("Fatal error.", StringComparison.Ordinal)
        || output.Contains("wine: Unhandled", StringComparison.Ordinal);

    private async Task<(int Exit, string Output)> RunOnceAsync(string[] args, bool playTone)
    {
        Process? player = null;
        try
        {
            if (playTone)
            {
                player = Process.Start(new ProcessStartInfo("paplay", ["--device=" + Sink, Tone]) { RedirectStandardError = true })!;
            }

            return await RunAsync(WineStart(Executable, args), TimeSpan.FromMinutes(2));
        }
        finally
        {
            await StopPlayerAsync(player);
        }
    }

    private static Task<(int Exit, string Output)> RunAsync(string file, string[] args, TimeSpan timeout) =>
        RunAsync(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false }, timeout);

    private static async Task<(int Exit, string Output)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start)!;
        var text = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (text)
            {
                text.AppendLine($"(killed after {timeout.TotalSeconds} s)");
            }
        }

        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Friture.Streaming.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Friture.Streaming.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Stops the tone player started for a run, if any.</summary>
    private static async Task StopPlayerAsync(Process? player)
    {
        if (player is null)
        {
            return;
        }

        if (!player.HasExited)
        {
            player.Kill();
        }

        await player.WaitForExitAsync();
        player.Dispose();
    }
}
