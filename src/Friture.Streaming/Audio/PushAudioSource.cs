using System.Buffers.Binary;
using System.Globalization;

namespace Friture.Streaming.Audio;

/// <summary>
/// An <see cref="IAudioSource"/> fed by application code: push interleaved samples from any capture API (NAudio's
/// <c>WaveInEvent.DataAvailable</c>, a game engine, a network stream) and the capture loop analyses them.
/// </summary>
/// <remarks>
/// <para>
/// Samples go into a bounded ring of <see cref="CapacityFrames"/> frames. When the capture side falls behind and the
/// ring is full, the oldest frames are dropped: the drop is counted in <see cref="Overflows"/> and
/// <see cref="DroppedFrames"/>, and appears to the capture loop as a gap in the frame index (an overrun, reported
/// through the API's statistics and <c>ErrorOccurred</c>). Pushing never blocks and never allocates.
/// </para>
/// <para>
/// Pushes may split a frame across calls. Samples pushed while the source is not started are discarded; the audio
/// clock restarts at frame 0 on <see cref="Start"/>. The write methods are thread-safe (one lock held only to copy).
/// A single push larger than the ring keeps only its newest <see cref="CapacityFrames"/> frames (an overflow, as above).
/// </para>
/// </remarks>
public sealed class PushAudioSource : IAudioSource
{
    private readonly float[] _ring;
    private readonly Lock _lock = new();
    private readonly ManualResetEventSlim _dataAvailable = new(false);
    private long _writeSample;
    private long _readSample;
    private long _wantedSamples = long.MaxValue;
    private long _overflows;
    private long _droppedFrames;
    private bool _running;

    /// <summary>Creates a push source.</summary>
    /// <param name="format">Sample rate and channel count of what will be pushed.</param>
    /// <param name="capacityFrames">Ring size in frames, 64 to 60 s of audio; 0 (the default) means one second.</param>
    /// <param name="name">Name used in logs and errors.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacityFrames"/> is out of range.</exception>
    public PushAudioSource(AudioFormat format, int capacityFrames = 0, string name = "Push source")
    {
        if (format.Channels == 0)
        {
            throw new ArgumentException("The format is not initialised; create it with new AudioFormat(sampleRate, channels).", nameof(format));
        }

        if (capacityFrames == 0)
        {
            capacityFrames = format.SampleRate;
        }

        AudioOptionChecks.Range("capacityFrames", capacityFrames, 64, format.SampleRate * 60L, "frames");
        Format = format;
        CapacityFrames = capacityFrames;
        Name = string.IsNullOrWhiteSpace(name) ? "Push source" : name;
        _ring = new float[capacityFrames * format.Channels];
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>Ring size in frames.</summary>
    public int CapacityFrames { get; }

    /// <summary>How many pushes found the ring full and dropped old audio.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>Frames dropped because the ring was full.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Frames waiting in the ring.</summary>
    public int BufferedFrames
    {
        get
        {
            lock (_lock)
            {
                return (int)((_writeSample - _readSample) / Format.Channels);
            }
        }
    }

    /// <summary>Pushes interleaved float samples, full scale ±1.0.</summary>
    /// <param name="samples">Interleaved samples.</param>
    public void Write(ReadOnlySpan<float> samples)
    {
        lock (_lock)
        {
            if (!_running)
            {
                return;
            }

            var skip = SkipExcess(samples.Length);
            var at = MakeRoom(samples.Length - skip);
            foreach (var s in samples[skip..])
            {
                _ring[at] = s;
                at = at + 1 == _ring.Length ? 0 : at + 1;
            }

            Commit(samples.Length - skip);
        }
    }

    /// <summary>Pushes interleaved signed 16-bit samples (full scale 32768).</summary>
    /// <param name="samples">Interleaved samples.</param>
    public void Write(ReadOnlySpan<short> samples)
    {
        lock (_lock)
        {
            if (!_running)
            {
                return;
            }

            var skip = SkipExcess(samples.Length);
            var at = MakeRoom(samples.Length - skip);
            foreach (var s in samples[skip..])
            {
                _ring[at] = s * (1f / 32768f);
                at = at + 1 == _ring.Length ? 0 : at + 1;
            }

            Commit(samples.Length - skip);
        }
    }

    /// <summary>
    /// Pushes raw little-endian signed 16-bit PCM bytes, as NAudio's <c>WaveInEvent.DataAvailable</c> delivers them
    /// (<c>e.Buffer.AsSpan(0, e.BytesRecorded)</c>).
    /// </summary>
    /// <param name="bytes">Interleaved 16-bit little-endian samples; an odd trailing byte is ignored.</param>
    public void WritePcm16(ReadOnlySpan<byte> bytes)
    {
        var count = bytes.Length / 2;
        lock (_lock)
        {
            if (!_running)
            {
                return;
            }

            var skip = SkipExcess(count);
            var at = MakeRoom(count - skip);
            for (var i = skip; i < count; i++)
            {
                _ring[at] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(i * 2, 2)) * (1f / 32768f);
                at = at + 1 == _ring.Length ? 0 : at + 1;
            }

            Commit(count - skip);
        }
    }

    /// <summary>
    /// Pushes raw little-endian IEEE float32 bytes, as WASAPI loopback or shared-mode capture delivers them
    /// (NAudio's <c>WasapiCapture.DataAvailable</c>).
    /// </summary>
    /// <param name="bytes">Interleaved float32 little-endian samples; trailing bytes of an incomplete sample are ignored.</param>
    public void WriteFloat32(ReadOnlySpan<byte> bytes)
    {
        var count = bytes.Length / 4;
        lock (_lock)
        {
            if (!_running)
            {
                return;
            }

            var skip = SkipExcess(count);
            var at = MakeRoom(count - skip);
            for (var i = skip; i < count; i++)
            {
                _ring[at] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
                at = at + 1 == _ring.Length ? 0 : at + 1;
            }

            Commit(count - skip);
        }
    }

    /// <inheritdoc/>
    public void Start()
    {
        lock (_lock)
        {
            _writeSample = 0;
            _readSample = 0;
            _wantedSamples = long.MaxValue;
            _running = true;
            _dataAvailable.Reset();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Waits until a whole <paramref name="destination"/> of frames (at most <see cref="CapacityFrames"/>) is buffered.</remarks>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        var channels = Format.Channels;
        var frames = Math.Min(destination.Length / channels, CapacityFrames);
        var wanted = (long)frames * channels;
        while (true)
        {
            lock (_lock)
            {
                if (!_running)
                {
                    return new AudioReadResult(0, _readSample / channels, true);
                }

                if (_writeSample - _readSample >= wanted)
                {
                    var first = _readSample / channels;
                    var start = (int)(_readSample % _ring.Length);
                    var head = Math.Min((int)wanted, _ring.Length - start);
                    _ring.AsSpan(start, head).CopyTo(destination);
                    _ring.AsSpan(0, (int)wanted - head).CopyTo(destination[head..]);
                    _readSample += wanted;
                    _wantedSamples = long.MaxValue;
                    return new AudioReadResult(frames, first, false);
                }

                _wantedSamples = _readSample + wanted;
                _dataAvailable.Reset();
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return new AudioReadResult(0, Interlocked.Read(ref _readSample) / channels, false);
            }

            try
            {
                _dataAvailable.Wait(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return new AudioReadResult(0, Interlocked.Read(ref _readSample) / channels, false);
            }
        }
    }

    /// <inheritdoc/>
    public void Stop()
    {
        lock (_lock)
        {
            _running = false;
            _dataAvailable.Set();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _dataAvailable.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} ({Format}, ring {CapacityFrames} frames)");

    // Called under the lock: a push larger than the ring keeps only its newest ring-full; the samples before count as
    // written (the clock advances over them) and are dropped with the older audio by MakeRoom.
    private int SkipExcess(int count)
    {
        var skip = Math.Max(0, count - _ring.Length);
        _writeSample += skip;
        return skip;
    }

    // Called under the lock: drops whole old frames until count more samples fit; returns the ring index to write at.
    private int MakeRoom(int count)
    {
        var channels = Format.Channels;
        var overflow = _writeSample + count - _readSample - _ring.Length;
        if (overflow > 0)
        {
            var dropFrames = (overflow + channels - 1) / channels;
            _readSample += dropFrames * channels;
            _overflows++;
            _droppedFrames += dropFrames;
        }

        return (int)(_writeSample % _ring.Length);
    }

    private void Commit(int count)
    {
        _writeSample += count;
        if (_writeSample >= _wantedSamples)
        {
            _dataAvailable.Set();
        }
    }
}
