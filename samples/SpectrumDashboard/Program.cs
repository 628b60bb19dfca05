// The seed's AudioDashboard: pitch for a tuner, a downsampled spectrum and VU levels, pushed to browsers over WebSocket
// as small application messages (protocol.SendData), exactly as in the seed's example.
// Usage: SpectrumDashboard [file.wav] [seconds] [port]   then open a WebSocket client on ws://localhost:<port>/
using System.Globalization;
using System.Text.Json;
using Friture.Streaming;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Server.WebSockets;

IAudioSource source = args.Length > 0 && args[0] != "-"
    ? new WavFileSource(args[0], new WavFileSourceOptions { Loop = true })
    : new SignalGeneratorSource(new SignalGeneratorOptions { FrequencyHz = 440, LevelDbfs = -6 });
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var port = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8765;

await using var api = new StreamingApi(new StreamingApiOptions { AudioSource = source });
api.RegisterDefaultProducers();
var websocket = new WebSocketProtocol(port: port);
api.AddProtocol(websocket);

var sent = 0;
void Send(object message)
{
    websocket.SendData(JsonSerializer.Serialize(message));
    Interlocked.Increment(ref sent);
}

// Pitch tracking for the tuner display.
api.RegisterConsumer(DataType.PitchTracker, new CallbackConsumer(data =>
{
    var pitch = (PitchData)data.Data;
    Send(new { type = "pitch_update", frequency = pitch.FrequencyHz, note = pitch.NoteName, confidence = pitch.Confidence });
}));

// Spectrum, downsampled to at most 200 points for web transmission (in dB, not linear: the seed mixed them up).
api.RegisterConsumer(DataType.FftSpectrum, new CallbackConsumer(data =>
{
    var spectrum = (FftSpectrumData)data.Data;
    var step = Math.Max(1, spectrum.Frequencies.Length / 200);
    var frequencies = new List<float>();
    var magnitudes = new List<float>();
    for (var i = 0; i < spectrum.Frequencies.Length; i += step)
    {
        frequencies.Add(spectrum.Frequencies[i]);
        magnitudes.Add(spectrum.MagnitudesDb[i]);
    }

    Send(new { type = "spectrum_update", frequencies, magnitudes, peak_freq = spectrum.PeakFrequency });
}));

// Levels for VU meters.
api.RegisterConsumer(DataType.Levels, new CallbackConsumer(data =>
{
    var levels = (LevelsData)data.Data;
    Send(new { type = "levels_update", peak_levels = levels.PeakLevelsDb, rms_levels = levels.RmsLevelsDb });
}));

await api.StartStreamingAsync();
Console.WriteLine($"dashboard data on ws://localhost:{websocket.Port}/");
await Task.Delay(TimeSpan.FromSeconds(seconds));
await api.StopStreamingAsync();
Console.WriteLine($"dashboard messages sent: {sent}");
