// The seed's "basic pitch tracking consumer": strong pitches only (confidence > 0.8), with note name and cents.
// Usage: BasicPitchTracking [file.wav] [seconds]
using System.Globalization;
using Friture.Streaming;
using Friture.Streaming.Analyzers.PitchTracker;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;

IAudioSource source = args.Length > 0 && args[0] != "-"
    ? new WavFileSource(args[0])
    : new SignalGeneratorSource(new SignalGeneratorOptions { FrequencyHz = 196, LevelDbfs = -12 });
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;

await using var api = new StreamingApi(new StreamingApiOptions { AudioSource = source });
api.RegisterProducer(new PitchTrackerProducer(new PitchTrackerOptions { MinFrequencyHz = 65, MaxFrequencyHz = 1047 }));
api.SetRateLimit(DataType.PitchTracker, 20);

var strong = 0;
var consumer = new CallbackConsumer(data =>
{
    var pitch = (PitchData)data.Data;
    if (pitch.FrequencyHz is { } hz && pitch.Confidence > 0.8)
    {
        strong++;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"t={data.Metadata.StreamTime,7:F3}s  strong pitch: {pitch.NoteName} ({hz:F1} Hz, {pitch.CentsOffset:+0.0;-0.0} cents), clarity {pitch.HarmonicClarity:F2}"));
    }
}, maxCallbackTimeMs: 10);
consumer.ErrorOccurred += (_, e) => Console.Error.WriteLine($"Consumer {e.ConsumerId} error: {e.Exception.Message}");
api.RegisterConsumer(DataType.PitchTracker, consumer);

await api.StartStreamingAsync();
await Task.Delay(TimeSpan.FromSeconds(seconds));
await api.StopStreamingAsync();
Console.WriteLine($"strong pitch estimates: {strong}");
