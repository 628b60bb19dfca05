using Friture.Streaming.Audio;

namespace Friture.Streaming.Tests.Audio;

/// <summary>A test sink: records what the capture loop reports and measures allocation on the capture thread.</summary>
internal sealed class RecordingSink : IAudioBlockSink
{
    private readonly long _measureFrom;
    private readonly long _measureTo;
    private readonly long[] _firstFrames;
    private readonly int[] _frameCounts;
    private long _allocatedAtStart;
    private readonly TaskCompletionSource _measured = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _blocks;
    private float[]? _firstSamples;

    public RecordingSink(long measureFrom = long.MaxValue, long measureTo = long.MaxValue, int keep = 4096)
    {
        _measureFrom = measureFrom;
        _measureTo = measureTo;
        _firstFrames = new long[keep];
        _frameCounts = new int[keep];
    }

    public int Blocks => Volatile.Read(ref _blocks);

    public long AllocatedBytes { get; private set; } = -1;

    public List<(long LostFrames, double StreamTime)> Overruns { get; } = [];

    public Exception? Failure { get; private set; }

    public int EndOfStreamCalls { get; private set; }

    public Task Measured => _measured.Task;

    public Task Ended => _ended.Task;

    public Task Failed => _failed.Task;

    public float[]? FirstBlockSamples => _firstSamples;

    public long FirstFrameOf(int block) => _firstFrames[block];

    public int FrameCountOf(int block) => _frameCounts[block];

    public Action<int>? OnBlock { get; set; }

    public void OnAudioBlock(in AudioBlock block)
    {
        var n = _blocks;
        if (n == _measureFrom)
        {
            _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        }
        else if (n == _measureTo)
        {
            AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;
            _measured.TrySetResult();
        }

        if (n < _firstFrames.Length)
        {
            _firstFrames[n] = block.FirstFrameIndex;
            _frameCounts[n] = block.FrameCount;
        }

        if (n == 0)
        {
            _firstSamples = block.Samples.ToArray();
        }

        Volatile.Write(ref _blocks, n + 1);
        OnBlock?.Invoke(n);
    }

    public void OnOverrun(long lostFrames, double streamTime)
    {
        lock (Overruns)
        {
            Overruns.Add((lostFrames, streamTime));
        }
    }

    public void OnSourceFailed(IAudioSource source, Exception exception)
    {
        Failure = exception;
        _failed.TrySetResult();
    }

    public void OnEndOfStream(IAudioSource source)
    {
        EndOfStreamCalls++;
        _ended.TrySetResult();
    }
}
