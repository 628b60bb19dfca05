using System.Diagnostics;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>External programs a test starts (a broker, receivers, dump tools): output redirected, all killed on dispose.</summary>
internal sealed class ChildProcesses : IDisposable
{
    private readonly List<Process> _children = [];

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> in the test's output folder.</summary>
    public Process Start(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        lock (_children)
        {
            _children.Add(process);
        }

        return process;
    }

    public void Dispose()
    {
        lock (_children)
        {
            foreach (var child in _children)
            {
                if (!child.HasExited)
                {
                    child.Kill();
                    child.WaitForExit();
                }

                child.Dispose();
            }

            _children.Clear();
        }
    }
}
