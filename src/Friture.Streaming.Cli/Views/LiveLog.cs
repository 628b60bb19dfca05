using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Cli.Views;

/// <summary>
/// Where log lines go while the live view owns the terminal: the last few lines for the scroll area under the view,
/// and every line to <c>--log-file</c> when one is given. Never to the console, so no log line draws into the view.
/// </summary>
/// <remarks>
/// Logging is called from any thread, the capture thread included: it formats, stores the line in a small
/// ring and hands it to a single-reader channel; a background task writes the file. Nothing blocks on the disk.
/// </remarks>
internal sealed class LiveLog : ILoggerProvider, IAsyncDisposable
{
    private readonly string[] _ring;
    private readonly Lock _gate = new();
    private readonly Channel<string>? _file;
    private readonly Task _writer = Task.CompletedTask;
    private readonly LogLevel _minimum;
    private int _next;
    private long _count;

    public LiveLog(LogLevel minimum, string? filePath, int visibleLines = 5)
    {
        _minimum = minimum;
        _ring = new string[visibleLines];
        FilePath = filePath;
        if (filePath is not null)
        {
            // Opened here, so a bad path fails at start-up with the path in the message, not later on a thread.
            var stream = new StreamWriter(new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = false };
            _file = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
            _writer = WriteAsync(_file.Reader, stream);
        }
    }

    /// <summary>The log file, or null.</summary>
    public string? FilePath { get; }

    /// <summary>Lines logged so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The last lines, oldest first.</summary>
    public IReadOnlyList<string> Recent()
    {
        lock (_gate)
        {
            var lines = new List<string>(_ring.Length);
            for (var i = 0; i < _ring.Length; i++)
            {
                if (_ring[(_next + i) % _ring.Length] is { } line)
                {
                    lines.Add(line);
                }
            }

            return lines;
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_file is not null && _file.Writer.TryComplete())
        {
            await _writer.ConfigureAwait(false);
        }
    }

    private void Add(LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var shortCategory = category[(category.LastIndexOf('.') + 1)..];
        var line = string.Create(CultureInfo.InvariantCulture, $"{TimeProvider.System.GetLocalNow():HH:mm:ss} {Level(level)} {shortCategory}[{eventId.Id}]: {message.ReplaceLineEndings(" ")}");
        Interlocked.Increment(ref _count);
        lock (_gate)
        {
            _ring[_next] = line;
            _next = (_next + 1) % _ring.Length;
        }

        _file?.Writer.TryWrite(exception is null ? line : line + Environment.NewLine + exception);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private static async Task WriteAsync(ChannelReader<string> reader, StreamWriter stream)
    {
        await using (stream.ConfigureAwait(false))
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var line))
                {
                    await stream.WriteLineAsync(line).ConfigureAwait(false);
                }

                await stream.FlushAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class Logger(LiveLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Add(logLevel, category, eventId, formatter(state, exception), exception);
            }
        }
    }
}
