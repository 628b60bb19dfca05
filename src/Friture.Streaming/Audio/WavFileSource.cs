using System.Globalization;

namespace Friture.Streaming.Audio;

/// <summary>
/// An <see cref="IAudioSource"/> that plays a WAV file: PCM 8/16/24/32-bit or IEEE float 32/64-bit, plain or
/// WAVE_FORMAT_EXTENSIBLE, 1 to 32 channels, 8 to 192 kHz; in real time or as fast as possible; optionally looping.
/// </summary>
/// <remarks>
/// <para>
/// The header is parsed when the source is created, so <see cref="Format"/> is known before capture starts; a
/// malformed or truncated file is refused then with an <see cref="AudioSourceException"/> whose message names the
/// file and the problem. Nothing is allocated from sizes read in the file.
/// </para>
/// <para>
/// In real time a read of frames [n, n + k) returns when (n + k) / sample rate seconds have passed on
/// <see cref="WavFileSourceOptions.TimeProvider"/> since <see cref="Start"/>. A file is not a device: a reader that
/// falls more than <see cref="WavFileSourceOptions.MaxLagSeconds"/> behind (a stalled consumer, start-up, a loaded
/// machine) holds the clock back instead of skipping audio, so every frame of the file is delivered, in order, whatever
/// the load (<see cref="ClockHoldBacks"/> counts it). <see cref="Read"/> does not allocate.
/// </para>
/// </remarks>
public sealed class WavFileSource : IAudioSource
{
    private readonly WavReader _reader;
    private readonly WavFileSourceOptions _options;
    private readonly RealTimePacer? _pacer;
    private long _position;
    private long _holdBacks;
    private volatile bool _running;
    private bool _ended;

    /// <summary>Opens a WAV file and reads its header.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Playback settings; <see langword="null"/> for real time, no loop.</param>
    /// <exception cref="AudioSourceException">The file cannot be opened, is not a supported WAV file, or is truncated.</exception>
    public WavFileSource(string path, WavFileSourceOptions? options = null)
        : this(OpenFile(path), options)
    {
        FilePath = path;
    }

    /// <summary>Plays WAV data from a seekable stream (the source takes ownership of it).</summary>
    /// <param name="stream">A readable, seekable stream holding a WAV file from offset 0.</param>
    /// <param name="name">Name for logs and errors.</param>
    /// <param name="options">Playback settings.</param>
    /// <exception cref="AudioSourceException">The data is not a supported WAV file, or is truncated.</exception>
    public WavFileSource(Stream stream, string name, WavFileSourceOptions? options = null)
        : this(OpenStream(stream, name), options)
    {
    }

    private WavFileSource(WavReader reader, WavFileSourceOptions? options)
    {
        _reader = reader;
        _options = options ?? new WavFileSourceOptions();
        try
        {
            _options.Validate();
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        Format = reader.Info.Format;
        if (_options.RealTime)
        {
            _pacer = new RealTimePacer(_options.TimeProvider, Format.SampleRate, (long)(_options.MaxLagSeconds * Format.SampleRate));
        }
    }

    /// <inheritdoc/>
    public string Name => _reader.Name;

    /// <summary>The file's path, or <see langword="null"/> when playing a stream.</summary>
    public string? FilePath { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>How the file stores its samples.</summary>
    public WavSampleFormat SampleFormat => _reader.Info.SampleFormat;

    /// <summary>Whether the file's header is WAVE_FORMAT_EXTENSIBLE.</summary>
    public bool IsExtensible => _reader.Info.IsExtensible;

    /// <summary>Frames in the file.</summary>
    public long FrameCount => _reader.Info.FrameCount;

    /// <summary>Length of the file's audio.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)FrameCount / Format.SampleRate);

    /// <summary>
    /// In real time, how many reads found the reader more than <see cref="WavFileSourceOptions.MaxLagSeconds"/> behind
    /// the clock, which then waited for it (no audio is ever skipped).
    /// </summary>
    public long ClockHoldBacks => Interlocked.Read(ref _holdBacks);

    /// <inheritdoc/>
    public void Start()
    {
        try
        {
            _reader.Seek(0);
        }
        catch (IOException ex)
        {
            throw new AudioSourceException($"WAV file '{Name}' cannot be read: {ex.Message}", ex);
        }

        _position = 0;
        _ended = FrameCount == 0;
        _running = true;
        _pacer?.Restart();
    }

    /// <inheritdoc/>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        var channels = Format.Channels;
        var frames = destination.Length / channels;
        if (!_running || _ended)
        {
            return new AudioReadResult(0, _position, true);
        }

        if (frames == 0)
        {
            return new AudioReadResult(0, _position, false);
        }

        try
        {
            if (_pacer is not null)
            {
                // A file is not a device: when the reader is late (a stalled consumer, JIT at start-up, a loaded
                // machine) the file waits for it; nothing is skipped.
                if (_pacer.HoldBack(_position) > 0)
                {
                    Interlocked.Increment(ref _holdBacks);
                }

                if (!_options.Loop)
                {
                    frames = (int)Math.Min(frames, FrameCount - _reader.Position);
                }

                if (!_pacer.WaitUntil(_position + frames, cancellationToken))
                {
                    return new AudioReadResult(0, _position, !_running);
                }
            }

            var first = _position;
            var done = 0;
            while (done < frames)
            {
                var n = _reader.ReadFrames(destination.Slice(done * channels, (frames - done) * channels));
                done += n;
                if (_reader.Position >= FrameCount)
                {
                    if (!_options.Loop)
                    {
                        _ended = true;
                        break;
                    }

                    _reader.Seek(0);
                }
            }

            _position += done;
            return new AudioReadResult(done, first, _ended);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            throw new AudioSourceException($"WAV file '{Name}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
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
        _reader.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} ({Format}, {SampleFormat}, {Duration.TotalSeconds:F3} s)");

    private static WavReader OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return WavReader.Open(path);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new AudioSourceException(ex is InvalidDataException ? ex.Message : $"WAV file '{path}' cannot be opened: {ex.Message}", ex);
        }
    }

    private static WavReader OpenStream(Stream stream, string name)
    {
        try
        {
            return WavReader.Open(stream, name, leaveOpen: false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            throw new AudioSourceException(ex.Message, ex);
        }
    }
}
