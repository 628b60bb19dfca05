namespace Friture.Streaming.Audio;

/// <summary>
/// The read state shared by the sources that play finite data (<see cref="WavFileSource"/>,
/// <see cref="SampleProviderAudioSource"/>): running and ended flags, the audio clock's position, and optional real-time
/// pacing where a late reader holds the clock back instead of skipping audio. One place for the guards at the top of
/// their <c>Read</c>, so the two sources cannot drift apart. Allocates nothing after construction.
/// </summary>
internal sealed class PlaybackCursor : IDisposable
{
    private readonly int _channels;
    private readonly RealTimePacer? _pacer;
    private volatile bool _running;

    /// <summary>Creates the cursor.</summary>
    /// <param name="format">The source's format.</param>
    /// <param name="realTime">Whether reads are paced to <paramref name="timeProvider"/>.</param>
    /// <param name="timeProvider">The pacing clock.</param>
    /// <param name="maxLagSeconds">How far a late reader may catch up at once before the clock waits for it.</param>
    public PlaybackCursor(AudioFormat format, bool realTime, TimeProvider timeProvider, double maxLagSeconds)
    {
        _channels = format.Channels;
        if (realTime)
        {
            _pacer = new RealTimePacer(timeProvider, format.SampleRate, (long)(maxLagSeconds * format.SampleRate));
        }
    }

    /// <summary>Whether reads are paced in real time.</summary>
    public bool IsRealTime => _pacer is not null;

    /// <summary>Frames delivered since <see cref="Start"/>: the audio clock.</summary>
    public long Position { get; private set; }

    /// <summary>Whether the data has ended (set by the source when it reaches its end).</summary>
    public bool Ended { get; set; }

    /// <summary>Restarts the clock at frame 0.</summary>
    /// <param name="ended">Whether there is nothing to play (an empty file).</param>
    public void Start(bool ended)
    {
        Position = 0;
        Ended = ended;
        _running = true;
        _pacer?.Restart();
    }

    /// <summary>
    /// The guards every read starts with: after <see cref="Stop"/> or the end, an end-of-stream result; for a block shorter
    /// than one frame, an empty one.
    /// </summary>
    /// <param name="destination">The read's destination.</param>
    /// <param name="frames">Whole frames that fit in it.</param>
    /// <param name="result">The result to return when this returns <see langword="false"/>.</param>
    /// <returns>Whether there is something to read.</returns>
    public bool TryBeginRead(Span<float> destination, out int frames, out AudioReadResult result)
    {
        frames = destination.Length / _channels;
        if (!_running || Ended)
        {
            result = new AudioReadResult(0, Position, true);
            return false;
        }

        if (frames == 0)
        {
            result = new AudioReadResult(0, Position, false);
            return false;
        }

        result = default;
        return true;
    }

    /// <summary>
    /// In real time, waits until <paramref name="frames"/> more frames are due, holding the clock back first when the
    /// reader is late (a file is not a device: nothing is skipped). Without pacing, returns at once.
    /// </summary>
    /// <param name="frames">Frames about to be read.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <param name="heldBack">Whether the clock had to wait for a late reader.</param>
    /// <param name="result">The result to return when this returns <see langword="false"/>.</param>
    /// <returns>Whether to read now; <see langword="false"/> when stopped or cancelled while waiting.</returns>
    public bool Pace(int frames, CancellationToken cancellationToken, out bool heldBack, out AudioReadResult result)
    {
        heldBack = false;
        result = default;
        if (_pacer is null)
        {
            return true;
        }

        heldBack = _pacer.HoldBack(Position) > 0;
        if (!_pacer.WaitUntil(Position + frames, cancellationToken))
        {
            result = new AudioReadResult(0, Position, !_running);
            return false;
        }

        return true;
    }

    /// <summary>Advances the clock by the frames read and returns the read's result.</summary>
    /// <param name="frames">Frames read into the destination.</param>
    /// <returns>The result, with <see cref="Ended"/> as its end-of-stream flag.</returns>
    public AudioReadResult Advance(int frames)
    {
        var first = Position;
        Position += frames;
        return new AudioReadResult(frames, first, Ended);
    }

    /// <summary>Stops reads (a waiting read returns at once).</summary>
    public void Stop()
    {
        _running = false;
        _pacer?.Stop();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _pacer?.Dispose();
    }
}
