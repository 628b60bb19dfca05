using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Audio;

/// <summary>
/// Reads blocks from an <see cref="IAudioSource"/> on a dedicated thread and hands them to the engine, keeping a
/// sample-accurate audio clock and counting overruns.
/// </summary>
/// <remarks>
/// <para>
/// The clock is the source's own frame index (<see cref="AudioReadResult.FirstFrameIndex"/>): every block is stamped
/// with it, so stream time is exact to the sample and never drifts with the wall clock. A jump forward in that index
/// means audio was lost (the source's ring overflowed or a device dropped frames): the loop counts it and reports it
/// through <see cref="IAudioBlockSink.OnOverrun"/>. A jump backward (a misbehaving source) is logged and the clock
/// resynchronises on the source.
/// </para>
/// <para>
/// Steady state allocates nothing: the block buffer is allocated in the constructor and the loop only reads into it
/// and passes a <see cref="AudioBlock"/> view of it to the sink.
/// </para>
/// <para>
/// A source that throws is reported once through <see cref="IAudioBlockSink.OnSourceFailed"/>; the thread then ends
/// and the source is stopped, so the owner can start a new loop (on the same or another source) afterwards.
/// </para>
/// </remarks>
internal sealed class AudioCaptureLoop : IAsyncDisposable
{
    /// <summary>Smallest block accepted, in frames.</summary>
    public const int MinBlockSize = 16;

    /// <summary>Largest block accepted, in frames (about 1.4 s at 48 kHz).</summary>
    public const int MaxBlockSize = 65_536;

    private readonly IAudioSource _source;
    private readonly IAudioBlockSink _sink;
    private readonly ILogger _logger;
    private readonly AudioFormat _format;
    private readonly int _blockSize;
    private readonly float[] _buffer;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private int _state; // 0 new, 1 running, 2 stopping or stopped
    private long _blocks;
    private long _frames;
    private long _lostFrames;
    private long _overruns;
    private long _nextFrameIndex;
    private bool _running;

    /// <summary>Creates a loop; nothing starts until <see cref="Start"/>.</summary>
    /// <param name="source">The source to read.</param>
    /// <param name="blockSize">Frames per block, <see cref="MinBlockSize"/> to <see cref="MaxBlockSize"/>.</param>
    /// <param name="sink">Receives blocks and reports.</param>
    /// <param name="logger">Logger.</param>
    public AudioCaptureLoop(IAudioSource source, int blockSize, IAudioBlockSink sink, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(logger);
        if (blockSize is < MinBlockSize or > MaxBlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize,
                $"block_size is {blockSize} frames; it must be between {MinBlockSize} and {MaxBlockSize} frames.");
        }

        _source = source;
        _sink = sink;
        _logger = logger;
        _format = source.Format;
        _blockSize = blockSize;
        _buffer = new float[blockSize * _format.Channels];
    }

    /// <summary>The source this loop reads.</summary>
    public IAudioSource Source => _source;

    /// <summary>Frames per block.</summary>
    public int BlockSize => _blockSize;

    /// <summary>Blocks handed to the sink.</summary>
    public long BlocksCaptured => Interlocked.Read(ref _blocks);

    /// <summary>Frames handed to the sink.</summary>
    public long FramesCaptured => Interlocked.Read(ref _frames);

    /// <summary>Frames lost in overruns.</summary>
    public long LostFrames => Interlocked.Read(ref _lostFrames);

    /// <summary>Number of overruns (gaps) detected.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>The audio clock: the frame index the next block is expected to start at.</summary>
    public long NextFrameIndex => Interlocked.Read(ref _nextFrameIndex);

    /// <summary>The audio clock in seconds (<see cref="NextFrameIndex"/> / sample rate).</summary>
    public double StreamTime => (double)NextFrameIndex / _format.SampleRate;

    /// <summary>Whether the capture thread is running (false from the moment <see cref="Completion"/> completes).</summary>
    public bool IsRunning => Volatile.Read(ref _running);

    /// <summary>Completes when the capture thread has exited (after a stop, a failure or the end of the stream).</summary>
    public Task Completion => _exited.Task;

    /// <summary>Starts the source, then the capture thread.</summary>
    /// <exception cref="InvalidOperationException">The loop was already started.</exception>
    /// <exception cref="AudioSourceException">The source cannot start; the message names it.</exception>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The capture loop was already started; create a new loop to restart capture.");
        }

        try
        {
            _source.Start();
        }
        catch (Exception ex) when (ex is not AudioSourceException)
        {
            Volatile.Write(ref _state, 2);
            _exited.TrySetResult();
            throw new AudioSourceException($"Audio source '{_source.Name}' could not start: {ex.Message}", ex);
        }
        catch (AudioSourceException)
        {
            Volatile.Write(ref _state, 2);
            _exited.TrySetResult();
            throw;
        }

        AudioLog.CaptureStarted(_logger, _source.Name, _format.SampleRate, _format.Channels, _blockSize);
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "Friture.Streaming capture",
            Priority = ThreadPriority.AboveNormal,
        };
        Volatile.Write(ref _running, true);
        _thread.Start();
    }

    /// <summary>Stops the source and waits for the capture thread to exit. Idempotent.</summary>
    /// <returns>A task that completes when the thread has exited.</returns>
    public Task StopAsync()
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        if (previous == 1)
        {
            _stop.Cancel();
            StopSourceQuietly();
        }
        else if (previous == 0)
        {
            _exited.TrySetResult();
        }

        return _exited.Task;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Run()
    {
        var token = _stop.Token;
        var channels = _format.Channels;
        long expected = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var result = _source.Read(_buffer, token);
                var frames = result.Frames;
                if (frames < 0 || frames > _blockSize || result.FirstFrameIndex < 0)
                {
                    throw new AudioSourceException(
                        $"Audio source '{_source.Name}' returned {frames} frames at index {result.FirstFrameIndex} for a {_blockSize}-frame buffer.");
                }

                if (frames > 0)
                {
                    if (token.IsCancellationRequested)
                    {
                        break;
                    }

                    var first = result.FirstFrameIndex;
                    if (first > expected)
                    {
                        var lost = first - expected;
                        Interlocked.Add(ref _lostFrames, lost);
                        Interlocked.Increment(ref _overruns);
                        _sink.OnOverrun(lost, (double)expected / _format.SampleRate);
                    }
                    else if (first < expected)
                    {
                        AudioLog.AudioClockWentBack(_logger, _source.Name, expected, first);
                    }

                    expected = first + frames;
                    Interlocked.Exchange(ref _nextFrameIndex, expected);
                    var block = new AudioBlock(_buffer.AsSpan(0, frames * channels), _format, first);
                    _sink.OnAudioBlock(block);
                    Interlocked.Increment(ref _blocks);
                    Interlocked.Add(ref _frames, frames);
                }

                // A source stopped by StopAsync may answer "end of stream": that is a stop, not the end of the audio.
                if (result.EndOfStream && !token.IsCancellationRequested)
                {
                    AudioLog.AudioEndOfStream(_logger, _source.Name, expected);
                    _sink.OnEndOfStream(_source);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping: a source may throw instead of returning 0 frames on cancellation.
        }
#pragma warning disable CA1031 // A failing source is reported; the API must stay usable.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!token.IsCancellationRequested)
            {
                AudioLog.AudioSourceFailed(_logger, ex, _source.Name);
                ReportFailure(ex);
            }
        }
        finally
        {
            if (Interlocked.Exchange(ref _state, 2) == 1)
            {
                // Ended by itself (end of stream or failure): release the device now.
                StopSourceQuietly();
            }

            Volatile.Write(ref _running, false);
            _exited.TrySetResult();
        }
    }

    private void ReportFailure(Exception ex)
    {
        var reported = ex as AudioSourceException
            ?? new AudioSourceException($"Audio source '{_source.Name}' failed: {ex.Message}", ex);
        try
        {
            _sink.OnSourceFailed(_source, reported);
        }
#pragma warning disable CA1031 // The capture thread must end cleanly whatever the sink does.
        catch (Exception sinkError)
#pragma warning restore CA1031
        {
            AudioLog.AudioSinkFailed(_logger, sinkError, _source.Name);
        }
    }

    private void StopSourceQuietly()
    {
        try
        {
            _source.Stop();
        }
#pragma warning disable CA1031 // Stopping a broken device must not throw out of StopStreaming.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AudioLog.AudioSourceStopFailed(_logger, ex, _source.Name);
        }
    }
}
