// The seed's CustomProcessor: one consumer registered for pitch and spectrum, keeping a pitch history and fitting a
// line through the last ten estimates (numpy.polyfit in the seed; MathNet.Numerics here) to detect glides.
// Usage: CustomAnalysisPipeline [file.wav] [seconds]
using System.Globalization;
using Friture.Streaming;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using MathNet.Numerics;

IAudioSource source = args.Length > 0 && args[0] != "-"
    ? new WavFileSource(args[0])
    : new SignalGeneratorSource(new SignalGeneratorOptions
    {
        Waveform = SignalWaveform.Sweep, SweepStartHz = 110, SweepEndHz = 880, SweepDurationSeconds = 4, LevelDbfs = -12,
    });
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 4;

await using var api = new StreamingApi(new StreamingApiOptions { AudioSource = source });
api.RegisterDefaultProducers();
api.SetRateLimit(DataType.PitchTracker, 10); // ten estimates a second: a glide shows as Hz per estimate
var processor = new CustomProcessor();
var consumer = new CallbackConsumer(processor.ProcessData);
api.RegisterConsumer(DataType.PitchTracker, consumer);
api.RegisterConsumer(DataType.FftSpectrum, consumer);

await api.StartStreamingAsync();
await Task.Delay(TimeSpan.FromSeconds(seconds));
await api.StopStreamingAsync();
Console.WriteLine($"pitch estimates: {processor.PitchCount}, spectra: {processor.SpectrumCount}, trends detected: {processor.Trends}");

internal sealed class CustomProcessor
{
    private readonly List<double> _pitchHistory = [];

    public int PitchCount { get; private set; }

    public int SpectrumCount { get; private set; }

    public int Trends { get; private set; }

    public void ProcessData(StreamingData data)
    {
        switch (data.Data)
        {
            case PitchData pitch:
                ProcessPitch(pitch);
                break;
            case FftSpectrumData:
                SpectrumCount++;
                break;
        }
    }

    private void ProcessPitch(PitchData pitch)
    {
        if (pitch.FrequencyHz is not { } hz)
        {
            return;
        }

        PitchCount++;
        _pitchHistory.Add(hz);
        if (_pitchHistory.Count > 100)
        {
            _pitchHistory.RemoveAt(0);
        }

        if (_pitchHistory.Count >= 10)
        {
            var recent = _pitchHistory.GetRange(_pitchHistory.Count - 10, 10).ToArray();
            var x = Enumerable.Range(0, 10).Select(i => (double)i).ToArray();
            var (_, slope) = Fit.Line(x, recent);
            if (Math.Abs(slope) > 5)
            {
                Trends++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pitch trend detected: {slope:F2} Hz/sample at {hz:F1} Hz ({pitch.NoteName})"));
            }
        }
    }
}
