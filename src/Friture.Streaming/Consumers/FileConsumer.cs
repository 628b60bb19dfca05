using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Consumers;

/// <summary>
/// Writes every message to a file for logging (as
/// <c>FileConsumer(file_path, file_format='jsonl', max_file_size_mb=100)</c> in the original Friture streaming API).
/// </summary>
/// <remarks>
/// <para>
/// The file is opened (created or appended to) by the constructor, so an unwritable path fails at once with an
/// <see cref="IOException"/> that names the path. When a file would grow past <see cref="MaxFileSizeBytes"/> the consumer
/// continues in a numbered file next to it: <c>data.jsonl</c>, <c>data.1.jsonl</c>, <c>data.2.jsonl</c>, ...
/// </para>
/// <para>
/// Writing happens on the consumer's delivery task, never on the audio thread. Whole records are collected in memory and
/// written to the operating system at least every <see cref="FlushInterval"/> (or every 64 KiB), and everything the
/// consumer accepted is on disk when <see cref="StreamingApi.StopStreaming"/> or <see cref="DisposeAsync"/> returns.
/// </para>
/// <para>
/// A write that fails (a full disk, a removed device, a lost permission) is reported once: one
/// <see cref="DataConsumer.ErrorOccurred"/> event whose exception names the path and the reason, the consumer marked
/// failed (<see cref="Failure"/>, <see cref="ConsumerStatistics.Failure"/>). The file is cut back to the last whole
/// record, so every line on disk is complete; later messages are counted in <see cref="MessagesLost"/> and not written.
/// <see cref="DisposeAsync"/> never throws.
/// </para>
/// </remarks>
public sealed class FileConsumer : DataConsumer
{
    private const int WriteThreshold = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _record = new(16 * 1024);
    private readonly ArrayBufferWriter<byte> _pending = new(WriteThreshold + (16 * 1024));
    private readonly TimeProvider _timeProvider;
    private readonly string _directory;
    private readonly string _stem;
    private readonly string _extension;
    private FileStream? _stream;
    private long _committed;
    private int _fileIndex;
    private long _lastFlush;
    private string? _csvShape;
    private volatile string? _failure;
    private long _lost;
    private long _pendingRecords;
    private bool _disposed;

    /// <summary>Creates the consumer and opens the file.</summary>
    /// <param name="filePath">The file to write; its directory is created when missing.</param>
    /// <param name="fileFormat">The layout (default JSON Lines).</param>
    /// <param name="maxFileSizeMb">Size at which the file rotates, in MiB, above 0 and at most 1048576 (default 100).</param>
    /// <param name="consumerId">Optional id.</param>
    /// <param name="timeProvider">Clock for the flush interval; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="IOException">The file cannot be opened for writing; the message names the path and the reason.</exception>
    public FileConsumer(string filePath, FileFormat fileFormat = FileFormat.Jsonl, double maxFileSizeMb = 100, string? consumerId = null, TimeProvider? timeProvider = null)
        : base(consumerId)
    {
        if (string.IsNullOrWhiteSpace(filePath))
        {
            throw new ArgumentException("file_path must name a file, not be empty.", nameof(filePath));
        }

        if (!Enum.IsDefined(fileFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(fileFormat), fileFormat, $"file_format is {fileFormat}; it must be jsonl or csv.");
        }

        if (!double.IsFinite(maxFileSizeMb) || maxFileSizeMb <= 0 || maxFileSizeMb > 1_048_576)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFileSizeMb), maxFileSizeMb,
                $"max_file_size_mb is {maxFileSizeMb}; it must be above 0 and at most 1048576.");
        }

        FilePath = Path.GetFullPath(filePath);
        FileFormat = fileFormat;
        MaxFileSizeBytes = (long)(maxFileSizeMb * 1024 * 1024);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _directory = Path.GetDirectoryName(FilePath) ?? ".";
        _stem = Path.GetFileNameWithoutExtension(FilePath);
        _extension = Path.GetExtension(FilePath);
        _stream = Open(FilePath);
        _committed = _stream.Length;
        CurrentFilePath = FilePath;
        _lastFlush = _timeProvider.GetTimestamp();
    }

    /// <summary>The first file's full path.</summary>
    public string FilePath { get; }

    /// <summary>The file being written now (changes on rotation).</summary>
    public string CurrentFilePath { get; private set; }

    /// <summary>The layout.</summary>
    public FileFormat FileFormat { get; }

    /// <summary>Size in bytes at which the file rotates.</summary>
    public long MaxFileSizeBytes { get; }

    /// <summary>Longest time written data may stay in memory before it is written to the operating system. Default 1 s.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages written so far (on disk, or in memory waiting for the next write).</summary>
    public long MessagesWritten { get; private set; }

    /// <summary>Messages not written because of a write failure: those waiting in memory when it happened and every later one.</summary>
    public long MessagesLost => Interlocked.Read(ref _lost);

    /// <summary>Why the consumer stopped writing (the path and the reason), or null while it works.</summary>
    public string? Failure => _failure;

    /// <inheritdoc/>
    protected override string? FailureReason => _failure;

    /// <inheritdoc/>
    /// <remarks>Writes what is pending; a failure is reported (once) as during streaming, never thrown.</remarks>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await WritePendingAsync(flushToDisk: true).ConfigureAwait(false);
        Close();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected internal override async ValueTask ConsumeAsync(StreamingData data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null)
        {
            Interlocked.Increment(ref _lost);
            return;
        }

        _record.ResetWrittenCount();
        string? shape = null;
        string? header = null;
        if (FileFormat == FileFormat.Jsonl)
        {
            using (var writer = new Utf8JsonWriter(_record))
            {
                StreamingJson.Serialize(writer, data);
            }

            _record.Write("\n"u8);
        }
        else
        {
            shape = CsvRow.Write(data, _record, out header);
            if (shape != _csvShape && Length > 0)
            {
                // Every CSV file carries exactly one header: a new shape starts a new file.
                await RotateAsync().ConfigureAwait(false);
            }

            _csvShape = shape;
        }

        if (Length > 0 && Length + _record.WrittenCount > MaxFileSizeBytes)
        {
            await RotateAsync().ConfigureAwait(false);
        }

        if (_failure is not null)
        {
            Interlocked.Increment(ref _lost);
            return;
        }

        if (header is not null && Length == 0)
        {
            _pending.Write(Encoding.UTF8.GetBytes(header));
        }

        _pending.Write(_record.WrittenSpan);
        _pendingRecords++;
        MessagesWritten++;
        var now = _timeProvider.GetTimestamp();
        if (_pending.WrittenCount >= WriteThreshold || _timeProvider.GetElapsedTime(_lastFlush, now) >= FlushInterval)
        {
            await WritePendingAsync(flushToDisk: false).ConfigureAwait(false);
            _lastFlush = now;
        }
    }

    /// <inheritdoc/>
    protected internal override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (!_disposed)
        {
            await WritePendingAsync(flushToDisk: true).ConfigureAwait(false);
            _lastFlush = _timeProvider.GetTimestamp();
        }
    }

    /// <summary>Bytes in the current file once the pending records are written.</summary>
    private long Length => _committed + _pending.WrittenCount;

    private async ValueTask RotateAsync()
    {
        await WritePendingAsync(flushToDisk: false).ConfigureAwait(false);
        if (_failure is not null)
        {
            return;
        }

        Close();
        _fileIndex++;
        CurrentFilePath = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{_stem}.{_fileIndex}{_extension}"));
        try
        {
            _stream = Open(CurrentFilePath);
            _committed = _stream.Length;
        }
        catch (IOException ex)
        {
            Fail(ex, CurrentFilePath, pendingRecords: 0);
        }
    }

    /// <summary>Writes the pending whole records in one write; on failure cuts the file back to the last whole record.</summary>
    private async ValueTask WritePendingAsync(bool flushToDisk)
    {
        if (_stream is not { } stream || _failure is not null)
        {
            return;
        }

        try
        {
            if (_pending.WrittenCount > 0)
            {
                await stream.WriteAsync(_pending.WrittenMemory).ConfigureAwait(false);
                _committed += _pending.WrittenCount;
                _pending.ResetWrittenCount();
                _pendingRecords = 0;
            }

            if (flushToDisk)
            {
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Truncate(stream);
            var saved = Salvage(stream);
            Fail(ex, CurrentFilePath, _pendingRecords - saved);
        }
    }

    /// <summary>After a failed write, writes the pending records one by one while they fit; returns how many were written.</summary>
    private long Salvage(FileStream stream)
    {
        var saved = 0L;
        var rest = _pending.WrittenSpan;
        var newlines = 0;
        try
        {
            while (rest.Length > 0)
            {
                var end = rest.IndexOf((byte)'\n');
                if (end < 0)
                {
                    break;
                }

                stream.Write(rest[..(end + 1)]);
                _committed += end + 1;
                rest = rest[(end + 1)..];

                // A CSV header line precedes the first record of a file; it is not a message.
                newlines++;
                saved = Math.Min(newlines, _pendingRecords);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Truncate(stream);
        }

        return saved;
    }

    private void Truncate(FileStream stream)
    {
        try
        {
            // Cutting a file needs no space: a full disk still allows it.
            stream.SetLength(_committed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // The device refuses even that (a removed disk): nothing more can be done for the file.
        }
    }

    private void Fail(Exception exception, string path, long pendingRecords)
    {
        _pending.ResetWrittenCount();
        _pendingRecords = 0;
        Interlocked.Add(ref _lost, pendingRecords);
        MessagesWritten -= pendingRecords;
        _failure = $"FileConsumer stopped writing '{path}': {exception.Message}";
        Close();
        ReportError(new IOException(_failure, exception));
    }

    private void Close()
    {
        var stream = _stream;
        _stream = null;
        try
        {
            // Unbuffered: nothing is left to flush, so closing cannot fail for want of space.
            stream?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already reported or about to be; a close that fails loses nothing that was accepted as written.
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            // bufferSize 0: this class keeps whole records in memory itself and writes them in one call.
            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"FileConsumer cannot open '{path}' for writing: {ex.Message}", ex);
        }
    }
}
