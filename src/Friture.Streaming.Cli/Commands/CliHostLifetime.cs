using Microsoft.Extensions.Hosting;

namespace Friture.Streaming.Cli.Commands;

/// <summary>Leaves Ctrl+C/SIGTERM to System.CommandLine's cancellation, so the host does not stop itself behind our back.</summary>
internal sealed class CliHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
