using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Friture.Streaming.Mqtt.Tests.Support;

/// <summary>A real Mosquitto broker process on a free loopback port, with a generated config; can be killed and restarted.</summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _config;
    private Process? _process;

    private MosquittoBroker(string executable, string directory, int port)
    {
        Executable = executable;
        _directory = directory;
        Port = port;
        _config = Path.Combine(directory, "mosquitto.conf");
    }

    public string Executable { get; }

    public int Port { get; }

    public string Directory => _directory;

    /// <summary>The broker's process id (for its CPU time in /proc), or 0 when it is not running.</summary>
    public int ProcessId => _process is { HasExited: false } process ? process.Id : 0;

    public static string? FindExecutable(string name)
    {
        foreach (var folder in new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The path of a program, or skips the test when it is not installed outside CI (fails in CI).</summary>
    public static string Require(string name)
    {
        var path = FindExecutable(name);
        if (path is not null)
        {
            return path;
        }

        Prerequisite.Missing($"{name} is not installed; run scripts/ci/mosquitto.sh.");
        return string.Empty;
    }

    /// <summary>Starts a broker; <paramref name="extraConfig"/> is appended to the listener section.</summary>
    public static async Task<MosquittoBroker> StartAsync(string extraConfig = "allow_anonymous true", Action<string>? prepare = null)
    {
        var executable = Require("mosquitto");
        var directory = Path.Combine(Path.GetTempPath(), "friture-mqtt-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        prepare?.Invoke(directory);
        var broker = new MosquittoBroker(executable, directory, FreePort());
        await File.WriteAllTextAsync(
            broker._config,
            $"""
            per_listener_settings false
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            max_queued_messages 100000
            listener {broker.Port} 127.0.0.1
            {extraConfig.Replace("{dir}", directory, StringComparison.Ordinal)}

            """);
        await broker.StartProcessAsync();
        return broker;
    }

    public async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-c", _config },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start.");
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {_process.ExitCode} (port {Port} in use?).");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the broker process (SIGKILL): no goodbye to anyone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
