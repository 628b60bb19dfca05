using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>friture-stream as a real process: piped output gives plain log lines; SIGINT and SIGTERM stop it cleanly.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class CliProcessTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Process_Signal_StopsCleanlyFlushesAndFreesPorts(string signal)
    {
        var directory = TestFiles.TempDirectory();
        var jsonl = Path.Combine(directory, "levels.jsonl");
        var settings = Path.Combine(directory, "settings.json");
        await File.WriteAllTextAsync(settings, $$"""
            { "consumers": [ { "kind": "file", "data_types": ["levels"], "file_path": {{System.Text.Json.JsonSerializer.Serialize(jsonl)}} } ] }
            """);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "friture-stream.dll"), "--generate", "sine:440", "--port", "0", "--settings", settings, "--interval", "0.2", "--log-level", "error" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (error) { error.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Text() { lock (output) { return output.ToString(); } }

        try
        {
            await Wait.UntilAsync(() => Text().Contains("pitch A4", StringComparison.Ordinal) || process.HasExited, "plain log lines with the pitch");
            Assert.False(process.HasExited, error.ToString());
            Assert.StartsWith("friture-stream: analysing signal generator: 440 Hz sine", Text(), StringComparison.Ordinal);
            var port = int.Parse(System.Text.RegularExpressions.Regex.Match(Text(), @"Dashboard\s+http://localhost:(\d+)/").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(Wait.Token());
            }

            await process.WaitForExitAsync(Wait.Token());

            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {error}");
            Assert.Contains("stopping (interrupted)", Text(), StringComparison.Ordinal);
            Assert.Contains("friture-stream: stopped after", Text(), StringComparison.Ordinal);
            var lines = await File.ReadAllLinesAsync(jsonl);
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.EndsWith("}", l, StringComparison.Ordinal));
            using var rebind = new TcpListener(IPAddress.Loopback, port);
            rebind.Start();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
