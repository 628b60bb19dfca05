using Friture.Streaming.Consumers;
using Friture.Streaming.Data;

namespace Friture.Streaming.Cli.Views;

/// <summary>Keeps the latest levels, pitch, spectrum, octave and delay messages for the terminal views.</summary>
internal sealed class AnalysisSnapshot
{
    private LevelsData? _levels;
    private PitchData? _pitch;
    private FftSpectrumData? _spectrum;
    private OctaveSpectrumData? _octave;
    private DelayEstimatorData? _delay;
    private LoudnessData? _loudness;
    private double _streamTime;
    private long _messages;

    public LevelsData? Levels => Volatile.Read(ref _levels);

    public PitchData? Pitch => Volatile.Read(ref _pitch);

    public FftSpectrumData? Spectrum => Volatile.Read(ref _spectrum);

    public OctaveSpectrumData? Octave => Volatile.Read(ref _octave);

    public DelayEstimatorData? Delay => Volatile.Read(ref _delay);

    public LoudnessData? Loudness => Volatile.Read(ref _loudness);

    public double StreamTime => Volatile.Read(ref _streamTime);

    public long Messages => Interlocked.Read(ref _messages);

    public CallbackConsumer CreateConsumer() => new(Receive, consumerId: "friture-stream-view");

    private void Receive(StreamingData message)
    {
        Interlocked.Increment(ref _messages);
        Volatile.Write(ref _streamTime, message.Metadata.StreamTime);
        switch (message.Data)
        {
            case LevelsData levels:
                Volatile.Write(ref _levels, levels);
                break;
            case PitchData pitch:
                Volatile.Write(ref _pitch, pitch);
                break;
            case FftSpectrumData spectrum:
                Volatile.Write(ref _spectrum, spectrum);
                break;
            case OctaveSpectrumData octave:
                Volatile.Write(ref _octave, octave);
                break;
            case DelayEstimatorData delay:
                Volatile.Write(ref _delay, delay);
                break;
            case LoudnessData loudness:
                Volatile.Write(ref _loudness, loudness);
                break;
        }
    }
}
