using System.Globalization;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;

namespace Friture.Streaming.Recording;

/// <summary>
/// Records the captured audio to WAV files (Friture issue #304): register it for <see cref="RawAudioProducer.RawAudio"/>
/// next to a <see cref="RawAudioProducer"/>.
/// </summary>
/// <remarks>
/// <para>
/// The file is created by the constructor, so an unwritable path fails at once with an <see cref="IOException"/> that
/// names it; the header is written when the first chunk arrives (it carries the format). When a file would grow past
/// <see cref="MaxFileSizeBytes"/>, recording continues in a numbered file next to it, as <see cref="FileConsumer"/>
/// does: <c>take.wav</c>, <c>take.1.wav</c>, <c>take.2.wav</c>, ... A change of format, or the audio clock starting
/// again (streaming restarted), also starts a new file.
/// </para>
/// <para>
/// Frames lost before they reached the recorder (overruns, or messages dropped by this consumer's queue) are detected
/// from the chunks' frame indices: gaps up to <see cref="MaxSilenceFillSeconds"/> are filled with silence so that the
/// file keeps the audio clock's timeline; longer gaps are only counted (<see cref="Gaps"/>, <see cref="LostFrames"/>).
/// </para>
/// <para>
/// Header sizes are rewritten at least every <see cref="FlushInterval"/>, and when streaming stops
/// (<see cref="FlushAsync"/>) or the consumer is disposed: then every accepted chunk is on disk in a valid file.
/// Writing runs on the consumer's delivery task, never on the audio thread.
/// </para>
/// <para>
/// A file that can no longer be written (a full disk, a removed drive) stops the recording: the error is reported once
/// through <see cref="DataConsumer.ErrorOccurred"/> (and the API's), naming the file and the cause, the file is cut back
/// to the frames written before and closed valid, and <see cref="ConsumerStatistics.Failure"/> says why; later chunks
/// are counted in <see cref="FramesNotWritten"/>.
/// </para>
/// </remarks>
public sealed class WavRecordingConsumer : DataConsumer
{
    private readonly TimeProvider _timeProvider;
    private readonly string _directory;
    private readonly string _stem;
    private readonly string _extension;
    private readonly List<string> _files = [];
    private readonly float[] _silence = new float[4096];
    private FileStream _stream;
    private WavWriter? _writer;
    private int _fileIndex;
    private long _expectedFrame = -1;
    private long _lastFlush;
    private bool _disposed;
    private string? _failure;

    /// <summary>Creates the recorder and its first file.</summary>
    /// <param name="filePath">The first file; its directory is created when missing.</param>
    /// <param name="sampleFormat">How samples are stored; the default, 32-bit float, keeps every captured value exactly.</param>
    /// <param name="maxFileSizeMb">Size at which recording moves to the next file, in MiB, 1 to 4095 (RIFF's 4 GiB limit). Default 1024.</param>
    /// <param name="consumerId">Optional id.</param>
    /// <param name="timeProvider">Clock for <see cref="FlushInterval"/>; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="IOException">The file cannot be created; the message names the path.</exception>
    public WavRecordingConsumer(string filePath, WavSampleFormat sampleFormat = WavSampleFormat.IeeeFloat32, double maxFileSizeMb = 1024, string? consumerId = null, TimeProvider? timeProvider = null)
        : base(consumerId)
    {
        if (string.IsNullOrWhiteSpace(filePath))
        {
            throw new ArgumentException("file_path must name a file, not be empty.", nameof(filePath));
        }

        if (!Enum.IsDefined(sampleFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleFormat), sampleFormat, $"sample_format is {sampleFormat}; it must be one of {string.Join(", ", Enum.GetNames<WavSampleFormat>())}.");
        }

        if (double.IsNaN(maxFileSizeMb) || maxFileSizeMb is < 1 or > 4095)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFileSizeMb), maxFileSizeMb,
                string.Create(CultureInfo.InvariantCulture, $"max_file_size_mb is {maxFileSizeMb}; it must be between 1 and 4095 MiB (a WAV file holds at most 4 GiB)."));
        }

        SampleFormat = sampleFormat;
        MaxFileSizeBytes = Math.Min((long)(maxFileSizeMb * 1024 * 1024), WavWriter.MaxDataBytes);
        _timeProvider = timeProvider ?? TimeProvider.System;
        var full = Path.GetFullPath(filePath);
        _directory = Path.GetDirectoryName(full) ?? ".";
        _stem = Path.GetFileNameWithoutExtension(full);
        _extension = Path.GetExtension(full) is { Length: > 0 } ext ? ext : ".wav";
        CurrentFilePath = full;
        _stream = OpenFile(full);
        _files.Add(full);
        _lastFlush = _timeProvider.GetTimestamp();
    }

    /// <summary>How samples are stored.</summary>
    public WavSampleFormat SampleFormat { get; }

    /// <summary>Size at which recording moves to the next file, in bytes.</summary>
    public long MaxFileSizeBytes { get; }

    /// <summary>Longest gap filled with silence, in seconds (values below 0 fill nothing). Default 10.</summary>
    public double MaxSilenceFillSeconds { get; init; } = 10;

    /// <summary>How often, at least, the header is rewritten and data flushed to the operating system. Default 1 s.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The file being written.</summary>
    public string CurrentFilePath { get; private set; }

    /// <summary>Every file this recorder created, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Frames written to files, silence fills included.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Gaps detected in the audio clock.</summary>
    public long Gaps { get; private set; }

    /// <summary>Frames missing in those gaps.</summary>
    public long LostFrames { get; private set; }

    /// <summary>Frames of silence written to fill gaps.</summary>
    public long SilenceFrames { get; private set; }

    /// <summary>Frames received after the recording stopped on a write error (see <see cref="ConsumerStatistics.Failure"/>).</summary>
    public long FramesNotWritten { get; private set; }

    /// <inheritdoc/>
    protected override string? FailureReason => _failure;

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_failure is null)
            {
                CloseCurrent();
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected internal override ValueTask ConsumeAsync(StreamingData data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Data is not AudioChunkData chunk || chunk.Samples.IsDefaultOrEmpty || chunk.Channels == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (_failure is not null)
        {
            FramesNotWritten += chunk.FrameCount;
            return ValueTask.CompletedTask;
        }

        var before = FramesWritten - SilenceFrames;
        try
        {
            Record(chunk);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(ex);
            FramesNotWritten += chunk.FrameCount - (FramesWritten - SilenceFrames - before);
        }

        return ValueTask.CompletedTask;
    }

    private void Record(AudioChunkData chunk)
    {
        var format = new AudioFormat(chunk.SampleRate, chunk.Channels);
        if (_writer is not null && (_writer.Format != format || chunk.FirstFrameIndex < _expectedFrame))
        {
            // A new format or a restarted clock: a new file, so that each file is one continuous take.
            Rotate();
            _expectedFrame = -1;
        }

        _writer ??= new WavWriter(_stream, format, SampleFormat, leaveOpen: true);
        if (_expectedFrame >= 0 && chunk.FirstFrameIndex > _expectedFrame)
        {
            var missing = chunk.FirstFrameIndex - _expectedFrame;
            Gaps++;
            LostFrames += missing;
            if (missing <= MaxSilenceFillSeconds * format.SampleRate)
            {
                WriteSilence(missing, format);
            }
        }

        WriteFrames(chunk.Samples.AsSpan(), format);
        _expectedFrame = chunk.FirstFrameIndex + chunk.FrameCount;

        var now = _timeProvider.GetTimestamp();
        if (_timeProvider.GetElapsedTime(_lastFlush, now) >= FlushInterval)
        {
            _writer!.Flush();
            _lastFlush = now;
        }
    }

    /// <inheritdoc/>
    protected internal override ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (!_disposed && _failure is null)
        {
            try
            {
                _writer?.Flush();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Fail(ex);
            }

            _lastFlush = _timeProvider.GetTimestamp();
        }

        return ValueTask.CompletedTask;
    }

    private void WriteSilence(long frames, AudioFormat format)
    {
        var perWrite = _silence.Length / format.Channels;
        while (frames > 0)
        {
            var n = (int)Math.Min(frames, perWrite);
            WriteFrames(_silence.AsSpan(0, n * format.Channels), format);
            SilenceFrames += n;
            frames -= n;
        }
    }

    private void WriteFrames(ReadOnlySpan<float> samples, AudioFormat format)
    {
        var writer = _writer!;
        var frames = samples.Length / format.Channels;
        while (frames > 0)
        {
            var room = (MaxFileSizeBytes - writer.FileBytes) / writer.BlockAlign;
            if (room <= 0)
            {
                Rotate();
                writer = _writer = new WavWriter(_stream, format, SampleFormat, leaveOpen: true);
                room = (MaxFileSizeBytes - writer.FileBytes) / writer.BlockAlign;
            }

            var n = (int)Math.Min(frames, Math.Max(room, 1));
            writer.Write(samples[..(n * format.Channels)]);
            samples = samples[(n * format.Channels)..];
            frames -= n;
            FramesWritten += n;
        }
    }

    private void Rotate()
    {
        CloseCurrent();
        _fileIndex++;
        CurrentFilePath = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{_stem}.{_fileIndex}{_extension}"));
        _stream = OpenFile(CurrentFilePath);
        _files.Add(CurrentFilePath);
        _writer = null;
        RecordingLog.WavRecordingRotated(Logger, CurrentFilePath);
    }

    private void CloseCurrent()
    {
        if (_writer is not null)
        {
            _writer.Dispose();
            _writer = null;
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
        }
        else
        {
            // Nothing was recorded into this file: leave no empty, header-less file behind.
            _stream.Dispose();
            File.Delete(CurrentFilePath);
            _files.Remove(CurrentFilePath);
        }
    }

    /// <summary>Stops recording after a write error: one report, the file closed as valid as the disk allows.</summary>
    private void Fail(Exception exception)
    {
        _failure = $"WAV recording stopped: {exception.Message} Free space on that disk or record elsewhere; '{CurrentFilePath}' keeps the audio written before.";
        try
        {
            _writer?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The sizes written by the last successful flush or write still describe the file.
        }

        _writer = null;
        try
        {
            _stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unbuffered: nothing accepted is left to write.
        }

        ReportError(new IOException(_failure, exception));
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path) ?? ".");
            // Unbuffered: WavWriter writes whole encoded chunks, and after a failed write (a full disk) nothing is left in a
            // buffer that the writer could not cut back.
            return new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or NotSupportedException)
        {
            throw new IOException($"The WAV recording file '{path}' cannot be created: {ex.Message}", ex);
        }
    }
}
