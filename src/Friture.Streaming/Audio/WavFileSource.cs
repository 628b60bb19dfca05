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
    private readonly PlaybackCursor _cursor;
    private long _holdBacks;

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
        _cursor = new PlaybackCursor(Format, _options.RealTime, _options.TimeProvider, _options.MaxLagSeconds);
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

        _cursor.Start(ended: FrameCount == 0);
    }

    /// <inheritdoc/>
    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        if (!_cursor.TryBeginRead(destination, out var frames, out var early))
        {
            return early;
        }

        var channels = Format.Channels;
        try
        {
            if (!_options.Loop)
            {
                frames = (int)Math.Min(frames, FrameCount - _reader.Position);
            }

            // A file is not a device: when the reader is late (a stalled consumer, JIT at start-up, a loaded machine)
            // the file waits for it; nothing is skipped.
            if (!_cursor.Pace(frames, cancellationToken, out var heldBack, out early))
            {
                return early;
            }

            if (heldBack)
            {
                Interlocked.Increment(ref _holdBacks);
            }

            var done = 0;
            while (done < frames)
            {
                var n = _reader.ReadFrames(destination.Slice(done * channels, (frames - done) * channels));
                done += n;
                if (_reader.Position >= FrameCount)
                {
                    if (!_options.Loop)
                    {
                        _cursor.Ended = true;
                        break;
                    }

                    _reader.Seek(0);
                }
            }

            return _cursor.Advance(done);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            throw new AudioSourceException($"WAV file '{Name}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public void Stop() => _cursor.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        _cursor.Dispose();
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
