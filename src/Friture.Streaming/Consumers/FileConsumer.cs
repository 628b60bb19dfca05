using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Consumers;

/// <summary>
/// Writes every message to a file for logging (the seed's
/// <c>FileConsumer(file_path, file_format='jsonl', max_file_size_mb=100)</c>).
/// </summary>
/// <remarks>
/// <para>
/// The file is opened (created or appended to) by the constructor, so an unwritable path fails at once with an
/// <see cref="IOException"/> that names the path. When a file would grow past <see cref="MaxFileSizeBytes"/> the consumer
/// continues in a numbered file next to it: <c>data.jsonl</c>, <c>data.1.jsonl</c>, <c>data.2.jsonl</c>, ...
/// </para>
/// <para>
/// Writing happens on the consumer's delivery task, never on the audio thread. Data is flushed to the operating system
/// at least every <see cref="FlushInterval"/>, and everything the consumer accepted is on disk when
/// <see cref="StreamingApi.StopStreaming"/> or <see cref="DisposeAsync"/> returns.
/// </para>
/// </remarks>
public sealed class FileConsumer : DataConsumer
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly TimeProvider _timeProvider;
    private readonly string _directory;
    private readonly string _stem;
    private readonly string _extension;
    private FileStream _stream;
    private int _fileIndex;
    private long _lastFlush;
    private string? _csvShape;
    private bool _disposed;

    /// <summary>Creates the consumer and opens the file.</summary>
    /// <param name="filePath">The file to write; its directory is created when missing.</param>
    /// <param name="fileFormat">The layout (default JSON Lines).</param>
    /// <param name="maxFileSizeMb">Size at which the file rotates, in MiB, above 0 and at most 1048576 (default 100).</param>
    /// <param name="consumerId">Optional id.</param>
    /// <param name="timeProvider">Clock for the flush interval; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="IOException">The file cannot be opened for writing; the message names the path.</exception>
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

    /// <summary>Longest time written data may stay in memory before it is flushed to the operating system. Default 1 s.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages written so far.</summary>
    public long MessagesWritten { get; private set; }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stream.FlushAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected internal override async ValueTask ConsumeAsync(StreamingData data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _buffer.ResetWrittenCount();
        string? shape = null;
        if (FileFormat == FileFormat.Jsonl)
        {
            using (var writer = new Utf8JsonWriter(_buffer))
            {
                StreamingJson.Serialize(writer, data);
            }

            _buffer.Write("\n"u8);
        }
        else
        {
            shape = CsvRow.Write(data, _buffer, out var header);
            if (shape != _csvShape && _stream.Length > 0)
            {
                // Every CSV file carries exactly one header: a new shape starts a new file.
                await RotateAsync().ConfigureAwait(false);
            }

            if (_stream.Length == 0)
            {
                var headerBytes = Encoding.UTF8.GetBytes(header);
                await _stream.WriteAsync(headerBytes, cancellationToken).ConfigureAwait(false);
            }

            _csvShape = shape;
        }

        if (_stream.Length > 0 && _stream.Length + _buffer.WrittenCount > MaxFileSizeBytes)
        {
            await RotateAsync().ConfigureAwait(false);
            if (shape is not null)
            {
                CsvRow.Write(data, new ArrayBufferWriter<byte>(), out var header);
                await _stream.WriteAsync(Encoding.UTF8.GetBytes(header), cancellationToken).ConfigureAwait(false);
            }
        }

        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        MessagesWritten++;
        var now = _timeProvider.GetTimestamp();
        if (_timeProvider.GetElapsedTime(_lastFlush, now) >= FlushInterval)
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            _lastFlush = now;
        }
    }

    /// <inheritdoc/>
    protected internal override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (!_disposed)
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            _stream.Flush(flushToDisk: true);
            _lastFlush = _timeProvider.GetTimestamp();
        }
    }

    private async ValueTask RotateAsync()
    {
        await _stream.FlushAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _fileIndex++;
        CurrentFilePath = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{_stem}.{_fileIndex}{_extension}"));
        _stream = Open(CurrentFilePath);
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

            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"FileConsumer cannot open '{path}' for writing: {ex.Message}", ex);
        }
    }
}
