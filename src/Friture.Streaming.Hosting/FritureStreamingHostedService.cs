namespace Friture.Streaming.Hosting;

/// <summary>Starts the pipeline with the host and stops it (files flushed, ports freed) when the host stops.</summary>
/// <remarks>Streaming errors are logged by the <see cref="StreamingApi"/> itself, through the host's logger factory.</remarks>
internal sealed class FritureStreamingHostedService(FritureStreamingPipeline pipeline) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => pipeline.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.StopAsync();
}
