using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Friture.Streaming.Server.Tests.Support;

/// <summary>Extracts the examples of docs/protocols.md and runs them as independent client processes.</summary>
internal sealed partial class ExampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();

    private ExampleProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

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

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static string Extract(string name)
    {
        var markdown = File.ReadAllText(DocsPath());
        var match = ExampleBlock().Matches(markdown).FirstOrDefault(m => m.Groups["name"].Value == name)
            ?? throw new InvalidOperationException($"docs/protocols.md has no example '{name}'");
        var path = Path.Combine(Path.GetTempPath(), $"friture-{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, match.Groups["code"].Value);
        return path;
    }

    public static ExampleProcess Start(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ExampleProcess(Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}"));
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(Wait.Token());
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string DocsPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "protocols.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/protocols.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"<!-- example: (?<name>[\w.]+) -->\s*```\w+\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
