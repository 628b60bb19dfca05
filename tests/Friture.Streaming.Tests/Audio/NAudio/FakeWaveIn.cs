using NAudio.Wave;

namespace Friture.Streaming.Tests.Audio.NAudio;

/// <summary>An <see cref="IWaveIn"/> driven by the test: it raises DataAvailable and RecordingStopped on demand, as a device's thread would.</summary>
internal sealed class FakeWaveIn(WaveFormat format) : IWaveIn
{
    public event EventHandler<WaveInEventArgs>? DataAvailable;

    public event EventHandler<StoppedEventArgs>? RecordingStopped;

    public WaveFormat WaveFormat { get; set; } = format;

    public int Starts { get; private set; }

    public bool Recording { get; private set; }

    public bool Disposed { get; private set; }

    public void StartRecording()
    {
        Starts++;
        Recording = true;
    }

    public void StopRecording()
    {
        Recording = false;
        RecordingStopped?.Invoke(this, new StoppedEventArgs());
    }

    public void Deliver(byte[] bytes, int count) => DataAvailable?.Invoke(this, new WaveInEventArgs(bytes, count));

    public void Fail(Exception error)
    {
        Recording = false;
        RecordingStopped?.Invoke(this, new StoppedEventArgs(error));
    }

    public void Dispose() => Disposed = true;
}
