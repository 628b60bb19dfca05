using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Friture.Streaming.Hosting.Tests.Support;

/// <summary>friture-stream as a real child process: its output and error streams captured, signals sent with kill.</summary>
internal sealed partial class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private CliProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static CliProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "friture-stream.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => { lock (cli._output) { cli._output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (cli._error) { cli._error.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits for the endpoint header and returns the port printed after <paramref name="label"/> (Dashboard, WebSocket, TCP).</summary>
    public async Task<int> PortAsync(string label)
    {
        var pattern = new Regex(Regex.Escape(label) + @"\s+\S*?:(\d+)", RegexOptions.CultureInvariant);
        await Wait.UntilAsync(() => pattern.IsMatch(Output) || HasExited, $"the {label} line of friture-stream's header");
        if (HasExited)
        {
            Assert.Fail($"friture-stream exited early ({ExitCode}):\n{Output}\n{Error}");
        }

        return int.Parse(pattern.Match(Output).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(Wait.Token());
    }

    public Task WaitForExitAsync() => _process.WaitForExitAsync(Wait.Token());

    /// <summary>The seconds of audio in the stop summary (<c>stopped after N s of audio</c>).</summary>
    public double AudioSeconds() =>
        double.Parse(AudioPattern().Match(Output).Groups[1].Value, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"stopped after ([\d.]+) s of audio", RegexOptions.CultureInvariant)]
    private static partial Regex AudioPattern();
}
