using Friture.Streaming.Audio;

namespace Friture.Streaming.Tests.Audio;

/// <summary>A test source whose reads follow a script: frame-index jumps, a failure after some reads, an end of stream.</summary>
internal sealed class ScriptedSource(AudioFormat format) : IAudioSource
{
    private long _next;
    private int _reads;

    public string Name => "scripted";

    public AudioFormat Format { get; } = format;

    /// <summary>Read number → frames to skip before that read (a simulated device overrun).</summary>
    public Dictionary<int, long> GapsBeforeRead { get; } = [];

    public int FailOnRead { get; init; } = -1;

    public int EndOnRead { get; init; } = -1;

    public bool FailOnStart { get; init; }

    public int Starts { get; private set; }

    public int Stops { get; private set; }

    public void Start()
    {
        if (FailOnStart)
        {
            throw new InvalidOperationException("device busy");
        }

        Starts++;
        _next = 0;
        _reads = 0;
    }

    public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
    {
        var read = _reads++;
        if (read == FailOnRead)
        {
            throw new IOException("device unplugged");
        }

        if (GapsBeforeRead.TryGetValue(read, out var gap))
        {
            _next += gap;
        }

        var frames = destination.Length / Format.Channels;
        for (var i = 0; i < frames * Format.Channels; i++)
        {
            destination[i] = (_next + (i / Format.Channels)) % 1000 / 1000f;
        }

        var first = _next;
        _next += frames;
        return new AudioReadResult(frames, first, read == EndOnRead);
    }

    public void Stop() => Stops++;

    public void Dispose()
    {
    }
}
