using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Audio;

/// <summary>
/// Reads blocks from an <see cref="IAudioSource"/> on a dedicated thread and hands them to the engine, keeping a
/// sample-accurate audio clock and counting overruns. (First version; hardened by the audio-input work.)
/// </summary>
internal sealed class AudioCaptureLoop : IAsyncDisposable
{
    private readonly IAudioSource _source;
    private readonly IAudioBlockSink _sink;
    private readonly ILogger _logger;
    private readonly float[] _buffer;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private long _blocks;
    private long _lostFrames;
    private long _overruns;

    public AudioCaptureLoop(IAudioSource source, int blockSize, IAudioBlockSink sink, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 16);
        _source = source;
        _sink = sink;
        _logger = logger;
        _buffer = new float[blockSize * source.Format.Channels];
    }

    public long BlocksCaptured => Interlocked.Read(ref _blocks);

    public long LostFrames => Interlocked.Read(ref _lostFrames);

    public long Overruns => Interlocked.Read(ref _overruns);

    public bool IsRunning => _thread is { IsAlive: true };

    public void Start()
    {
        _source.Start();
        _thread = new Thread(Run) { IsBackground = true, Name = "Friture.Streaming capture", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public Task StopAsync()
    {
        _stop.Cancel();
        _source.Stop();
        var thread = _thread;
        return thread is null ? Task.CompletedTask : Task.Run(() => thread.Join());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Run()
    {
        var format = _source.Format;
        long expected = 0;
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var result = _source.Read(_buffer, token);
                if (result.Frames > 0)
                {
                    if (result.FirstFrameIndex > expected)
                    {
                        var lost = result.FirstFrameIndex - expected;
                        Interlocked.Add(ref _lostFrames, lost);
                        Interlocked.Increment(ref _overruns);
                        _sink.OnOverrun(lost, (double)expected / format.SampleRate);
                    }

                    expected = result.FirstFrameIndex + result.Frames;
                    var block = new AudioBlock(_buffer.AsSpan(0, result.Frames * format.Channels), format, result.FirstFrameIndex);
                    _sink.OnAudioBlock(block);
                    Interlocked.Increment(ref _blocks);
                }

                if (result.EndOfStream)
                {
                    _sink.OnEndOfStream(_source);
                    return;
                }
            }
        }
#pragma warning disable CA1031 // A failing source is reported; the API must stay usable.
        catch (Exception ex) when (!token.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Diagnostics.Log.AudioSourceFailed(_logger, ex, _source.Name);
            _sink.OnSourceFailed(_source, ex);
        }
    }
}
