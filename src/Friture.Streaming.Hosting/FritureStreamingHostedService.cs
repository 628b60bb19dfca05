using Friture.Streaming.Hosting.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Hosting;

/// <summary>Starts the pipeline with the host and stops it (files flushed, ports freed) when the host stops.</summary>
internal sealed class FritureStreamingHostedService : IHostedService
{
    private readonly FritureStreamingPipeline _pipeline;
    private readonly ILogger _logger;

    public FritureStreamingHostedService(FritureStreamingPipeline pipeline, ILogger<FritureStreamingHostedService> logger)
    {
        _pipeline = pipeline;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pipeline.Api.ErrorOccurred += OnError;
        return _pipeline.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _pipeline.StopAsync().ConfigureAwait(false);
        _pipeline.Api.ErrorOccurred -= OnError;
    }

    private void OnError(object? sender, StreamingErrorEventArgs e) => Log.StreamingError(_logger, e.ErrorType.ToString(), e.Message);
}
