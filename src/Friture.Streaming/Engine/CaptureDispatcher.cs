using System.Collections.Immutable;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Diagnostics;
using Friture.Streaming.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Engine;

/// <summary>
/// The capture thread's side of the engine: owns the capture loop, runs the active producers for each block, asks the
/// rate limiter, builds metadata and offers each message to every subscription of its type without waiting. Also
/// publishes payloads pushed from outside the capture loop through the same path.
/// </summary>
/// <remarks>
/// Nothing here blocks: subscriptions are bounded queues that drop by their overflow strategy, and event handlers run
/// on their own tasks. A producer that throws is reported and made inactive; the other producers keep running.
/// </remarks>
internal sealed class CaptureDispatcher : IAudioBlockSink
{
    private readonly ProducerRegistry _producers;
    private readonly TypeRegistry _types;
    private readonly RateLimiter _rateLimiter;
    private readonly RegistrationGate _gate;
    private readonly ErrorRouter _errors;
    private readonly DataTap _tap;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly int _blockSize;
    private readonly Action _onEndOfStream;
    private readonly RateMeter _rateMeter;
    private readonly Dictionary<(DataType Type, string ProducerId), ExternalPublisher> _external = new();
    private AudioCaptureLoop? _capture;
    private long _lastOverrunReport = long.MinValue;
    private long _unreportedOverruns;
    private long _unreportedLostFrames;
    private double _streamTime;

    public CaptureDispatcher(
        ProducerRegistry producers,
        TypeRegistry types,
        RateLimiter rateLimiter,
        RegistrationGate gate,
        ErrorRouter errors,
        DataTap tap,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        int blockSize,
        Action onEndOfStream)
    {
        _producers = producers;
        _types = types;
        _rateLimiter = rateLimiter;
        _gate = gate;
        _errors = errors;
        _tap = tap;
        _time = time;
        _loggerFactory = loggerFactory;
        _blockSize = blockSize;
        _onEndOfStream = onEndOfStream;
        _rateMeter = new RateMeter(time);
    }

    /// <summary>Messages published per second, over the last few seconds.</summary>
    public double RatePerSecond => _rateMeter.RatePerSecond();

    /// <summary>Starts capturing from a source on a new capture thread.</summary>
    /// <param name="source">The source.</param>
    public void StartCapture(IAudioSource source)
    {
        var capture = new AudioCaptureLoop(source, _blockSize, this, _loggerFactory.CreateLogger<AudioCaptureLoop>());
        capture.Start();
        _capture = capture;
    }

    /// <summary>Stops the capture thread, if any, then resets the producers it left active.</summary>
    /// <returns>A task that completes when the capture thread is gone.</returns>
    public async Task StopCaptureAsync()
    {
        var capture = _capture;
        _capture = null;
        if (capture is not null)
        {
            await capture.DisposeAsync().ConfigureAwait(false);
        }

        // The capture thread is gone: producers can be reset from here without racing it.
        _producers.ResetActive();
    }

    /// <summary>The audio side of the statistics.</summary>
    /// <param name="source">The current source, if any.</param>
    /// <returns>The statistics, or <see langword="null"/> without a source.</returns>
    public AudioStatistics? GetAudioStatistics(IAudioSource? source)
    {
        if (source is null)
        {
            return null;
        }

        var capture = _capture;
        return new AudioStatistics
        {
            Source = source.Name,
            SampleRate = source.Format.SampleRate,
            Channels = source.Format.Channels,
            BlockSize = _blockSize,
            IsCapturing = capture?.IsRunning ?? false,
            BlocksCaptured = capture?.BlocksCaptured ?? 0,
            StreamTime = Volatile.Read(ref _streamTime),
            Overruns = capture?.Overruns ?? 0,
            LostFrames = capture?.LostFrames ?? 0,
        };
    }

    void IAudioBlockSink.OnAudioBlock(in AudioBlock block) => ProcessAudioBlock(block);

    void IAudioBlockSink.OnOverrun(long lostFrames, double streamTime)
    {
        // One log line (one event id) and one ErrorOccurred at most per second; overruns in between are counted into
        // the next report. Runs on the capture thread only.
        _unreportedOverruns++;
        _unreportedLostFrames += lostFrames;
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastOverrunReport);
        if (last == long.MinValue || _time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1))
        {
            Interlocked.Exchange(ref _lastOverrunReport, now);
            var count = _unreportedOverruns;
            var frames = _unreportedLostFrames;
            _unreportedOverruns = 0;
            _unreportedLostFrames = 0;
            AudioLog.AudioOverrun(_errors.Logger, count, frames, streamTime);
            _errors.Raise(StreamingErrorType.AudioOverrun, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Audio overrun: {frames} frames lost in {count} overrun(s), the latest at {streamTime:F3} s (analysis or the audio backend fell behind)."));
        }
    }

    void IAudioBlockSink.OnSourceFailed(IAudioSource source, Exception exception) =>
        _errors.Report(StreamingErrorType.AudioSourceFailed, $"Audio source '{source.Name}' failed: {exception.Message}", exception);

    void IAudioBlockSink.OnEndOfStream(IAudioSource source) => _onEndOfStream();

    /// <summary>The capture thread's work for one block: runs active producers, asks the rate limiter, publishes.</summary>
    /// <param name="block">The block.</param>
    public void ProcessAudioBlock(in AudioBlock block)
    {
        Volatile.Write(ref _streamTime, block.EndTime);
        var slots = _producers.Slots;

        // Consumers are woken once, after every producer has had the block (DeferredWakes), not once per message.
        DeferredWakes.Open();
        try
        {
            PublishBlock(block, slots);
        }
        finally
        {
            DeferredWakes.Close();
        }
    }

    private void PublishBlock(in AudioBlock block, ProducerSlot[] slots)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            if (!slot.TypeState.HasConsumers)
            {
                if (slot.Active)
                {
                    slot.Active = false;
                    _producers.SafeReset(slot);
                }

                continue;
            }

            try
            {
                if (!slot.Active || slot.Format != block.Format)
                {
                    slot.Producer.Initialize(block.Format);
                    slot.Format = block.Format;
                    slot.Active = true;
                }

                if (!slot.Producer.ProcessBlock(block))
                {
                    continue;
                }

                if (!slot.Bucket.TryAcquire())
                {
                    slot.TypeState.OnRateLimited();
                    continue;
                }

                var payload = slot.Producer.ExtractData();
                if (payload is null)
                {
                    continue;
                }

                var metadata = new StreamingMetadata
                {
                    DataType = slot.DataType,
                    Timestamp = _time.GetUtcNow(),
                    StreamTime = slot.Producer.ResultStreamTime ?? block.EndTime,
                    SampleRate = block.Format.SampleRate,
                    Channels = block.Format.Channels,
                    SequenceNumber = slot.NextSequence++,
                    ProducerId = slot.Producer.ProducerId,
                    Custom = slot.Producer.GetCustomMetadata(),
                };
                Dispatch(slot.TypeState, new StreamingData(metadata, payload));
            }
#pragma warning disable CA1031 // A failing producer is reported and skipped; the others keep running.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                slot.Errors++;
                slot.Active = false;
                Log.ProducerFailed(_errors.Logger, ex, slot.Producer.ProducerId, slot.DataType.Name);
                _errors.Report(StreamingErrorType.ProducerError, $"Producer '{slot.Producer.ProducerId}' ({slot.DataType.Name}) failed: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Publishes a payload produced outside the capture loop, with its own rate limit and sequence per producer id.</summary>
    /// <param name="dataType">The data type.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="producerId">The producer's id.</param>
    /// <param name="streamTime">Time of the result on the audio clock, in seconds.</param>
    /// <param name="custom">Custom metadata.</param>
    /// <returns>Whether it was published.</returns>
    public bool Publish(DataType dataType, StreamingPayload payload, string producerId, double streamTime, ImmutableDictionary<string, string>? custom)
    {
        var state = _types.Get(dataType);
        if (!state.HasConsumers)
        {
            return false;
        }

        ExternalPublisher publisher;
        lock (_gate.Sync)
        {
            if (!_external.TryGetValue((dataType, producerId), out publisher!))
            {
                publisher = new ExternalPublisher(_rateLimiter.CreateBucket(dataType));
                _external[(dataType, producerId)] = publisher;
            }
        }

        if (!publisher.Bucket.TryAcquire())
        {
            state.OnRateLimited();
            return false;
        }

        var metadata = new StreamingMetadata
        {
            DataType = dataType,
            Timestamp = _time.GetUtcNow(),
            StreamTime = streamTime,
            SequenceNumber = Interlocked.Increment(ref publisher.Sequence) - 1,
            ProducerId = producerId,
            Custom = custom,
        };
        Dispatch(state, new StreamingData(metadata, payload));
        return true;
    }

    private void Dispatch(TypeState state, StreamingData data)
    {
        state.OnPublished();
        _rateMeter.Tick();
        var subscriptions = state.Subscriptions;
        for (var i = 0; i < subscriptions.Length; i++)
        {
            subscriptions[i].Offer(data);
        }

        _tap.Post(data);
    }
}
