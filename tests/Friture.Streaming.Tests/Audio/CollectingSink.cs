using Friture.Streaming.Audio;

namespace Friture.Streaming.Tests.Audio;

/// <summary>A test sink that copies every captured sample into one preallocated array, and signals when it is full.</summary>
internal sealed class CollectingSink(int capacitySamples) : IAudioBlockSink
{
    private readonly float[] _samples = new float[capacitySamples];
    private readonly TaskCompletionSource _full = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public float[] Samples => _samples;

    public int Count => Volatile.Read(ref _count);

    public long Overruns { get; private set; }

    public Exception? Failure { get; private set; }

    public Task Full => _full.Task;

    public void OnAudioBlock(in AudioBlock block)
    {
        var take = Math.Min(block.Samples.Length, _samples.Length - _count);
        block.Samples[..take].CopyTo(_samples.AsSpan(_count));
        Volatile.Write(ref _count, _count + take);
        if (_count == _samples.Length)
        {
            _full.TrySetResult();
        }
    }

    public void OnOverrun(long lostFrames, double streamTime) => Overruns++;

    public void OnSourceFailed(IAudioSource source, Exception exception)
    {
        Failure = exception;
        _full.TrySetException(exception);
    }

    public void OnEndOfStream(IAudioSource source) => _full.TrySetResult();
}
