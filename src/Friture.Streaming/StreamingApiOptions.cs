using System.Diagnostics.Metrics;
using Friture.Streaming.Audio;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming;

/// <summary>Options of a <see cref="StreamingApi"/> instance, validated once by its constructor.</summary>
public sealed class StreamingApiOptions
{
    /// <summary>Smallest accepted <see cref="BlockSize"/>.</summary>
    public const int MinBlockSize = 16;

    /// <summary>Largest accepted <see cref="BlockSize"/>.</summary>
    public const int MaxBlockSize = 65_536;

    /// <summary>Clock for rate limiting, timestamps, time to live and statistics. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where logs go. Default: nowhere (<c>NullLoggerFactory</c>). Categories are the full type names, e.g. <c>Friture.Streaming.StreamingApi</c>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Creates the <c>Friture.Streaming</c> meter; default: a meter of its own.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>Frames per audio block handed to the producers, 16 to 65536. Default 512 (Friture's block size).</summary>
    public int BlockSize { get; init; } = 512;

    /// <summary>The audio source captured while streaming; also settable later with <see cref="StreamingApi.SetAudioSource"/>.</summary>
    public IAudioSource? AudioSource { get; init; }

    /// <summary>Capacity of the queue behind <see cref="StreamingApi.DataAvailable"/> and <see cref="StreamingApi.ErrorOccurred"/> handlers, 1 to 1,000,000. Default 1000.</summary>
    public int EventQueueSize { get; init; } = 1000;

    internal StreamingApiOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider, "options.TimeProvider");
        if (BlockSize is < MinBlockSize or > MaxBlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize,
                $"block_size is {BlockSize} frames; it must be between {MinBlockSize} and {MaxBlockSize}.");
        }

        if (EventQueueSize is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(EventQueueSize), EventQueueSize,
                $"event_queue_size is {EventQueueSize}; it must be between 1 and 1000000.");
        }

        return this;
    }
}
