using Friture.Streaming.Audio;
using Friture.Streaming.Configuration;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Hosting;

/// <summary>
/// Everything <c>services.AddFritureStreaming(...)</c> runs: the audio input, the seven analyzers' options, the block
/// size, the endpoint paths used by <c>app.MapFritureStreaming()</c>, and the streaming settings (rate limits, buffers,
/// file/queue consumers, self-hosted protocols).
/// </summary>
/// <remarks>
/// Bound from the configuration section <c>Friture:Streaming</c> by
/// <see cref="Microsoft.Extensions.DependencyInjection.FritureStreamingServiceCollectionExtensions.AddFritureStreaming(Microsoft.Extensions.DependencyInjection.IServiceCollection, IConfiguration, Action{FritureStreamingOptions}?)"/>:
/// <c>input</c>, <c>analyzers</c>, <c>block_size</c> and <c>endpoints</c> bind here, and the same section is read as
/// <see cref="StreamingSettings"/> (<c>rate_limits</c>, <c>buffers</c>, <c>consumers</c>, <c>protocols</c>).
/// </remarks>
public sealed class FritureStreamingOptions
{
    /// <summary>Smallest accepted <see cref="BlockSize"/>.</summary>
    public const int MinBlockSize = StreamingApiOptions.MinBlockSize;

    /// <summary>Largest accepted <see cref="BlockSize"/>.</summary>
    public const int MaxBlockSize = StreamingApiOptions.MaxBlockSize;

    /// <summary>Where the audio comes from. Default: the default capture device, else the built-in demo signal.</summary>
    [ConfigurationKeyName("input")]
    public FritureInputOptions Input { get; set; } = new();

    /// <summary>Options of the seven analyzers (all registered; an analyzer with no consumer does no work).</summary>
    [ConfigurationKeyName("analyzers")]
    public FritureAnalyzerOptions Analyzers { get; set; } = new();

    /// <summary>Frames per analysis block, 16 to 65,536. Default 512 (as Friture).</summary>
    [ConfigurationKeyName("block_size")]
    public int BlockSize { get; set; } = 512;

    /// <summary>Paths of the WebSocket, SSE and dashboard endpoints mapped by <c>MapFritureStreaming</c>.</summary>
    [ConfigurationKeyName("endpoints")]
    public FritureEndpointOptions Endpoints { get; set; } = new();

    /// <summary>Rate limits, buffers, consumers and self-hosted protocols, applied when the pipeline is built.</summary>
    /// <remarks>Protocols listed here run on their own ports (created by <see cref="FritureProtocolFactory"/>).</remarks>
    [ConfigurationKeyName("_settings_not_bound_here")]
    public StreamingSettings Settings { get; set; } = new();

    /// <summary>An audio source built in code; when set, it replaces <see cref="Input"/>. The pipeline disposes it.</summary>
    [ConfigurationKeyName("_source_not_bound_here")]
    public IAudioSource? AudioSource { get; set; }

    /// <summary>Validates every option; the message names the option, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (BlockSize is < MinBlockSize or > MaxBlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, $"block_size is {BlockSize}; it must be between {MinBlockSize} and {MaxBlockSize} frames.");
        }

        Input.Validate();
        Analyzers.Validate();
        Endpoints.Validate();
    }
}
