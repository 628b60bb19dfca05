using System.Diagnostics;
using Friture.Streaming.TestSupport;

namespace Friture.Streaming.Tests.Support;

/// <summary>
/// A really full disk for fault tests: a 64 KiB tmpfs mounted for the test and removed on dispose. Mounting needs root;
/// without it the test is skipped with the reason, and fails under CI=true.
/// </summary>
internal sealed class FullDisk : IAsyncDisposable
{
    private FullDisk(string path) => Path = path;

    /// <summary>The mounted folder.</summary>
    public string Path { get; }

    public static async Task<FullDisk> MountAsync()
    {
        var mount = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "friture-full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        if (!await RunAsync("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount))
        {
            Directory.Delete(mount);
            Prerequisite.Missing("a 64 KiB tmpfs cannot be mounted here (the test needs root and mount permission)");
        }

        return new FullDisk(mount);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static async Task<bool> RunAsync(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
