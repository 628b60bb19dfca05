using Microsoft.Extensions.Hosting;

namespace Friture.Streaming.Hosting;

/// <summary>Starts the pipeline with the host and stops it (files flushed, ports freed) when the host stops.</summary>
/// <remarks>
/// <para>Streaming errors are logged by the <see cref="StreamingApi"/> itself, through the host's logger factory.</para>
/// <para>
/// The pipeline stops in <see cref="StoppingAsync"/>, before any hosted service's <c>StopAsync</c>: the web server
/// (registered after the application's services, so stopped first) would otherwise wait its whole shutdown timeout
/// for the open WebSocket and SSE requests, then reset them, while capture went on. Stopping the pipeline first stops
/// capture, drains the queues and ends those requests properly (WebSocket 1001, a final SSE event).
/// </para>
/// </remarks>
internal sealed class FritureStreamingHostedService(FritureStreamingPipeline pipeline) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => pipeline.StartAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => pipeline.StopAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.StopAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
