using Friture.Streaming;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;

// Listen to a WAV file when one is given, else to a generated 440 Hz tone.
IAudioSource source = args.Length > 0 && args[0] != "-"
    ? new WavFileSource(args[0])
    : new SignalGeneratorSource(new SignalGeneratorOptions { FrequencyHz = 440, LevelDbfs = -6 });

await using var api = new StreamingApi(new StreamingApiOptions { AudioSource = source });
api.RegisterDefaultProducers();

// Print every pitch the tracker finds (the seed's pitch_callback).
var consumer = new CallbackConsumer(data =>
{
    if (data.Data is PitchData { FrequencyHz: { } hz } pitch)
    {
        Console.WriteLine($"Pitch: {hz:F1} Hz ({pitch.NoteName}, {pitch.CentsOffset:+0.0;-0.0;0.0} cents, confidence {pitch.Confidence:F2})");
    }
});
api.RegisterConsumer(DataType.PitchTracker, consumer);

await api.StartStreamingAsync();
await Task.Delay(TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3));
await api.StopStreamingAsync();
