using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Friture.Streaming.Samples.Tests;

/// <summary>Runs a built sample as its own process and captures what it prints.</summary>
internal static class SampleRunner
{
    /// <summary>
    /// The checkout's root: the nearest directory above the test binaries that holds the solution file.
    /// (Not [CallerFilePath]: CI builds map source paths to /_/ for deterministic output.)
    /// </summary>
    public static string RepositoryRoot()
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

    public static async Task<(int ExitCode, string Output)> RunAsync(string sample, params string[] args)
    {
        var configuration = typeof(SampleRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "Configuration").Value!;
        var dll = Path.Combine(RepositoryRoot(), "samples", sample, "bin", configuration, "net10.0", $"Friture.Streaming.Samples.{sample}.dll");
        Assert.True(File.Exists(dll), $"sample not built: {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sample {sample} did not finish in 120 s");
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
