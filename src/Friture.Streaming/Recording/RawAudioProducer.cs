using System.Collections.Immutable;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Recording;

/// <summary>
/// Emits the captured audio itself as <see cref="AudioChunkData"/> messages (data type <c>raw_audio</c>), for
/// <see cref="WavRecordingConsumer"/> or any consumer that wants the samples.
/// </summary>
/// <remarks>
/// <para>
/// Blocks accumulate in a buffer of <see cref="MaxPendingSeconds"/> allocated by <see cref="Initialize"/>, and each
/// message carries everything accumulated since the previous one; so a rate limit on <c>raw_audio</c> (none by
/// default) makes chunks larger, not lossy. A gap in the frame index (an overrun) starts a new chunk.
/// <see cref="ProcessBlock"/> does not allocate; <see cref="ExtractData"/> allocates the immutable copy it publishes.
/// </para>
/// </remarks>
public sealed class RawAudioProducer : DataProducer
{
    private float[] _pending = [];
    private int _pendingSamples;
    private long _pendingFirstFrame;
    private AudioFormat _format;

    /// <summary>Creates the producer.</summary>
    /// <param name="maxPendingSeconds">Most audio held between two messages, in seconds, 0.01 to 60; older audio is dropped (a gap). Default 2.</param>
    /// <param name="producerId">Optional id.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPendingSeconds"/> is out of range.</exception>
    public RawAudioProducer(double maxPendingSeconds = 2, string? producerId = null)
        : base(producerId)
    {
        AudioOptionChecks.Range("max_pending_seconds", maxPendingSeconds, 0.01, 60, "s");
        MaxPendingSeconds = maxPendingSeconds;
    }

    /// <summary>The <c>raw_audio</c> data type (payload <see cref="AudioChunkData"/>).</summary>
    public static DataType RawAudio { get; } = DataType.Register("raw_audio", RecordingJsonContext.Default.AudioChunkData);

    /// <summary>Most audio held between two messages, in seconds.</summary>
    public double MaxPendingSeconds { get; }

    /// <inheritdoc/>
    public override DataType GetDataType() => RawAudio;

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (_pendingSamples == 0)
        {
            return null;
        }

        var chunk = new AudioChunkData
        {
            Samples = ImmutableArray.Create(_pending, 0, _pendingSamples),
            FirstFrameIndex = _pendingFirstFrame,
            SampleRate = _format.SampleRate,
            Channels = _format.Channels,
        };
        _pendingFirstFrame += _pendingSamples / _format.Channels;
        _pendingSamples = 0;
        return chunk;
    }

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        _format = format;
        var capacity = (int)Math.Ceiling(MaxPendingSeconds * format.SampleRate) * format.Channels;
        if (_pending.Length != capacity)
        {
            _pending = new float[capacity];
        }

        _pendingSamples = 0;
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        if (block.Format != _format)
        {
            Initialize(block.Format);
        }

        var samples = block.Samples;
        var pendingEnd = _pendingFirstFrame + (_pendingSamples / _format.Channels);
        if (_pendingSamples == 0 || block.FirstFrameIndex != pendingEnd)
        {
            // A fresh chunk, or a gap: what is pending before a gap is dropped, the consumer sees the gap.
            _pendingSamples = 0;
            _pendingFirstFrame = block.FirstFrameIndex;
        }

        if (samples.Length > _pending.Length)
        {
            samples = samples[^_pending.Length..];
            _pendingFirstFrame = block.EndFrameIndex - (_pending.Length / _format.Channels);
        }

        if (_pendingSamples + samples.Length > _pending.Length)
        {
            // Nobody extracted for MaxPendingSeconds: keep the newest audio.
            _pendingSamples = 0;
            _pendingFirstFrame = block.EndFrameIndex - (samples.Length / _format.Channels);
        }

        samples.CopyTo(_pending.AsSpan(_pendingSamples));
        _pendingSamples += samples.Length;
        return true;
    }

    /// <inheritdoc/>
    protected internal override void Reset() => _pendingSamples = 0;
}
