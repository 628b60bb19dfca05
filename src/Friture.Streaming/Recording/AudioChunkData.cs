using System.Collections.Immutable;
using Friture.Streaming.Data;

namespace Friture.Streaming.Recording;

/// <summary>A copy of captured audio: interleaved samples stamped with the index of their first frame.</summary>
/// <remarks>
/// Wire name <c>raw_audio</c> (<see cref="RawAudioProducer.RawAudio"/>). Samples are float32, full scale ±1.0,
/// interleaved by <see cref="Channels"/>. Consecutive chunks are contiguous when
/// <c>next.FirstFrameIndex == FirstFrameIndex + FrameCount</c>; a larger index means frames were lost in between.
/// </remarks>
public sealed record AudioChunkData : StreamingPayload
{
    /// <summary>Interleaved samples.</summary>
    public ImmutableArray<float> Samples { get; init; } = [];

    /// <summary>Index of the first frame on the audio clock (frames since streaming started).</summary>
    public long FirstFrameIndex { get; init; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; init; }

    /// <summary>Interleaved channel count.</summary>
    public int Channels { get; init; }

    /// <summary>Frames in the chunk.</summary>
    public int FrameCount => Channels == 0 ? 0 : Samples.Length / Channels;

    /// <inheritdoc/>
    public override long EstimateSizeBytes() => 64 + (4L * Samples.Length);
}
