using System.Globalization;
using System.Text.RegularExpressions;

namespace Friture.Streaming.Hosting.Tests.Audio;

/// <summary>
/// The Windows capture path for real: friture-stream published for win-x64 runs under Wine 8, whose audio driver talks
/// to PulseAudio; paplay plays a 1 kHz sine at -20 dBFS peak (-23.01 dBFS RMS) into a null sink whose monitor is Wine's
/// default capture endpoint. WASAPI (NAudio's WasapiRecorder) and WinMM WaveIn must both read 1 kHz within 0.5 Hz and
/// the level within 0.5 dB. Wine 8 has no WASAPI loopback, so the loopback path is exercised on the monitor endpoint.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class WindowsCaptureUnderWineTests(WineCli wine) : IClassFixture<WineCli>
{
    private const double ToneHz = 1_000;
    private const double ToneRmsDbfs = -23.01; // 0.1 peak: 20 log10(0.1 / sqrt 2)

    [Fact]
    public async Task ListDevices_UnderWine_ListsTheWasapiEndpointsWithTheDefaultMarked()
    {
        wine.Require();

        var (exit, output, _) = await wine.RunCliAsync(["--list-devices"], playTone: false,
            o => o.Contains("Monitor of " + WineCli.Sink, StringComparison.Ordinal));

        Assert.True(exit == 0, output);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var defaults = lines.Where(l => l.StartsWith('*')).ToList();
        Assert.Contains(defaults, l => l.Contains("WASAPI capture", StringComparison.Ordinal) && l.Contains("PulseAudio", StringComparison.Ordinal));
        Assert.Contains(defaults, l => l.Contains("WASAPI render", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("WASAPI capture", StringComparison.Ordinal) && l.Contains("Monitor of " + WineCli.Sink, StringComparison.Ordinal) && l.Contains("48000 Hz", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("WaveIn", StringComparison.Ordinal) && l.Contains("Monitor of " + WineCli.Sink, StringComparison.Ordinal));
        Assert.Single(defaults, l => l.Contains("WASAPI capture", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Capture_DefaultWasapiDevice_ReadsTheToneFrequencyAndLevel()
    {
        wine.Require();

        var (output, description) = await CaptureAsync([]);

        Assert.Contains("WASAPI PulseAudio", description, StringComparison.Ordinal);
        AssertTone(output);
    }

    [Fact]
    public async Task Capture_WaveIn_ReadsTheToneFrequencyAndLevel()
    {
        wine.Require();

        var (output, description) = await CaptureAsync(["--wavein"]);

        Assert.Contains("WaveIn", description, StringComparison.Ordinal);
        AssertTone(output);
    }

    [Fact]
    public async Task Capture_LoopbackOfAMonitorEndpoint_ReadsTheToneFrequencyAndLevel()
    {
        wine.Require();

        var (output, description) = await CaptureAsync(["--loopback", "--device", "Monitor of " + WineCli.Sink]);

        Assert.Contains("WASAPI Monitor of " + WineCli.Sink, description, StringComparison.Ordinal);
        AssertTone(output);
    }

    [Fact]
    public async Task Capture_LoopbackOfTheDefaultRenderEndpoint_Wine8RefusesWithOneClearError()
    {
        wine.Require();

        var (exit, output, _) = await wine.RunCliAsync(["--loopback", "--duration", "3", "--view", "plain", "--no-dashboard", "--port", "0"], playTone: false,
            o => o.Contains("friture-stream", StringComparison.Ordinal));

        // Windows captures what plays; Wine 8 answers AUDCLNT_E_WRONG_ENDPOINT_TYPE, which must come out as one sentence.
        if (output.Contains("AUDCLNT_E_WRONG_ENDPOINT_TYPE", StringComparison.Ordinal))
        {
            Assert.NotEqual(0, exit);
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("friture-stream: error:", StringComparison.Ordinal));
            Assert.True(line is not null, "no 'friture-stream: error:' line:\n" + output);
            Assert.Contains("could not start", line, StringComparison.Ordinal);
            Assert.Contains("Wine 8 does not implement WASAPI loopback, capture a monitor endpoint instead", line, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(exit == 0, output);
            Assert.Contains("WASAPI loopback", output, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// README's main command ("The two commands": <c>dotnet run -c Release --project src/Friture.Streaming.Cli</c>), read
    /// from README.md, run as it is on Windows: the project published for win-x64 in that configuration and started with
    /// the command's own arguments (none) under Wine. Nothing added: the default input (the default WASAPI capture
    /// endpoint), the default port 8765 and view. It must serve the dashboard and read the tone.
    /// </summary>
    [Fact]
    public async Task ReadmeMainCommand_UnderWine_ServesTheDashboardAndReadsTheTone()
    {
        wine.Require();
        var command = ReadmeCommands("## The two commands").First();
        Assert.Equal(Path.Combine("src", "Friture.Streaming.Cli"), command.Project);

        var executable = await wine.PublishAsync(command.Project, command.Configuration);
        var dashboard = string.Empty;
        var served = false;
        var (_, output) = await RunReadmeAsync(executable, command.Args, playTone: true, workingDirectory: null, o =>
        {
            if (!served && DashboardLine().Match(o) is { Success: true } m)
            {
                dashboard = m.Groups["url"].Value;
                served = HttpOk(dashboard);
            }

            return served && Measurements(o).Count >= 5;
        });

        Assert.Contains("friture-stream: analysing WASAPI PulseAudio", output, StringComparison.Ordinal);
        Assert.True(served, $"the dashboard {dashboard} did not answer 200:\n{output}");
        Assert.Equal("http://localhost:8765/", dashboard);
        AssertTone(output);
    }

    /// <summary>
    /// README's quick start: the C# program (samples/QuickStart, verbatim in README.md) run with the README's two
    /// commands, read from README.md: without arguments it prints the generator's 440 Hz; with <c>song.wav 10</c> it
    /// prints the pitch of that file (here a 1 kHz tone named song.wav), for 10 s.
    /// </summary>
    [Fact]
    public async Task ReadmeQuickStart_UnderWine_PrintsThePitchOfTheGeneratorAndOfAFile()
    {
        wine.Require();
        var commands = ReadmeCommands("## Quick start").ToList();
        Assert.Equal(2, commands.Count);
        Assert.All(commands, c => Assert.Equal(Path.Combine("samples", "QuickStart"), c.Project));
        Assert.Empty(commands[0].Args);
        Assert.Equal(["song.wav", "10"], commands[1].Args);

        var executable = await wine.PublishAsync(commands[0].Project, commands[0].Configuration);
        var directory = Path.GetDirectoryName(executable)!;

        var (exit, output) = await RunReadmeAsync(executable, commands[0].Args, playTone: false, directory, static _ => false);
        Assert.True(exit == 0, output);
        AssertPitch(output, 440, "A4");

        var song = Path.Combine(directory, commands[1].Args[0]);
        File.Copy(wine.Tone, song, overwrite: true);
        (exit, output) = await RunReadmeAsync(executable, commands[1].Args, playTone: false, directory, static _ => false);
        Assert.True(exit == 0, output);
        AssertPitch(output, ToneHz, "B5");
    }

    private static void AssertPitch(string output, double hz, string note)
    {
        var pitches = QuickStartLine().Matches(output).Select(m => (Hz: double.Parse(m.Groups["hz"].Value, CultureInfo.InvariantCulture), Note: m.Groups["note"].Value)).ToList();
        Assert.True(pitches.Count >= 3, "fewer than three 'Pitch:' lines:\n" + output);
        var last = pitches.TakeLast(5).Select(static p => p.Hz).Order().ToList();
        var median = last[last.Count / 2];
        Assert.True(Math.Abs(median - hz) <= 0.5, $"median pitch {median} Hz, expected {hz} +- 0.5 Hz:\n{output}");
        Assert.Equal(note, pitches[^1].Note);
    }

    /// <summary>Runs a README command's program under Wine; retries once when Wine crashed (see <see cref="WineCli"/>).</summary>
    private async Task<(int Exit, string Output)> RunReadmeAsync(string executable, string[] args, bool playTone, string? workingDirectory, Func<string, bool> done)
    {
        var first = await wine.RunUntilAsync(executable, args, playTone, done, workingDirectory);
        if (!WineCrashed(first.Output))
        {
            return first;
        }

        TestContext.Current.SendDiagnosticMessage($"{Path.GetFileName(executable)} under Wine: retrying once; the first run printed:\n{first.Output}");
        return await wine.RunUntilAsync(executable, args, playTone, done, workingDirectory);
    }

    private static bool WineCrashed(string output) =>
        output.Contains("Internal CLR error", StringComparison.Ordinal) || output.Contains("Fatal error.", StringComparison.Ordinal)
        || output.Contains("wine: Unhandled", StringComparison.Ordinal);

    private static bool HttpOk(string url)
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = client.GetAsync(new Uri(url)).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>A <c>dotnet run</c> command of README.md, as the test maps it onto a win-x64 publish.</summary>
    private sealed record ReadmeCommand(string Text, string Project, string Configuration, string[] Args);

    /// <summary>
    /// The <c>dotnet run</c> commands of one README section (in code blocks and inline code), parsed. An option the test
    /// does not know fails the test: the README changed, and the test must follow it.
    /// </summary>
    private static IEnumerable<ReadmeCommand> ReadmeCommands(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(WineCli.Root, "README.md"));
        var start = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{heading}' section");
        var end = readme.IndexOf("\n## ", start + heading.Length + 2, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var found = false;
        foreach (Match m in DotnetRun().Matches(section))
        {
            found = true;
            var text = m.Value.Trim('`', ' ', '\r');
            var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string? project = null;
            var configuration = "Debug"; // dotnet run's default
            var args = new List<string>();
            for (var i = 2; i < tokens.Length; i++)
            {
                switch (tokens[i])
                {
                    case "-c" or "--configuration":
                        configuration = tokens[++i];
                        break;
                    case "--project":
                        project = tokens[++i].Replace('/', Path.DirectorySeparatorChar);
                        break;
                    case "--":
                        args.AddRange(tokens[(i + 1)..]);
                        i = tokens.Length;
                        break;
                    default:
                        Assert.Fail($"README.md's '{text}' has '{tokens[i]}', which this test does not map onto a win-x64 publish: update the test.");
                        break;
                }
            }

            Assert.True(project is not null, $"README.md's '{text}' names no --project");
            yield return new ReadmeCommand(text, project!, configuration, [.. args]);
        }

        Assert.True(found, $"README.md's '{heading}' section has no dotnet run command");
    }

    [GeneratedRegex(@"(?m)(?:^|`)dotnet run [^`\n]*")]
    private static partial Regex DotnetRun();

    [GeneratedRegex(@"Dashboard\s+(?<url>http://\S+)")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"Pitch: (?<hz>[\d.]+) Hz \((?<note>[A-G]#?-?\d+)")]
    private static partial Regex QuickStartLine();

    private static readonly string[] BaseArgs = ["--duration", "6", "--view", "plain", "--interval", "0.5", "--no-dashboard", "--port", "0", "--log-level", "error"];

    private async Task<(string Output, string Description)> CaptureAsync(string[] extra)
    {
        // Four seconds of analysis after the first buffer (which Wine can take up to 2 s to deliver), a line every 0.5 s.
        string[] args = [.. BaseArgs, .. extra];
        var (exit, output, _) = await wine.RunCliAsync(args, playTone: true, o => Measurements(o).Count >= 3);
        Assert.True(exit == 0, output);
        var description = output.Split('\n').FirstOrDefault(l => l.StartsWith("friture-stream: analysing", StringComparison.Ordinal)) ?? string.Empty;
        Assert.False(description.Length == 0, "no 'analysing' line:\n" + output);
        return (output, description);
    }

    private static void AssertTone(string output)
    {
        var measured = Measurements(output);
        Assert.True(measured.Count >= 3, "fewer than three analysed lines with a pitch:\n" + output);

        // The last lines (the tone has played for seconds by then): the level of each, and the median pitch. One line
        // may catch a discontinuity in Wine's capture buffers (seen once: 1002.4 Hz while the spectrum peak stayed at
        // 1000.0 Hz), so the pitch is read as the median of the last five lines, not line by line.
        var last = measured.TakeLast(5).ToList();
        foreach (var (_, rms) in last.TakeLast(3))
        {
            Assert.True(Math.Abs(rms - ToneRmsDbfs) <= 0.5, $"RMS {rms} dBFS, expected {ToneRmsDbfs} +- 0.5 dB:\n{output}");
        }

        var pitches = last.Select(static m => m.Hz).Order().ToList();
        var median = pitches[pitches.Count / 2];
        Assert.True(Math.Abs(median - ToneHz) <= 0.5, $"median pitch {median} Hz, expected {ToneHz} +- 0.5 Hz:\n{output}");
    }

    private static List<(double Hz, double RmsDb)> Measurements(string output)
    {
        var list = new List<(double, double)>();
        foreach (Match m in PlainLine().Matches(output))
        {
            list.Add((double.Parse(m.Groups["hz"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["rms"].Value, CultureInfo.InvariantCulture)));
        }

        return list;
    }

    [GeneratedRegex(@"ch1 peak -?[\d.]+ rms (?<rms>-?[\d.]+).*\| pitch \S+ (?<hz>[\d.]+) Hz")]
    private static partial Regex PlainLine();
}
