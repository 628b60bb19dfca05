// The seed's "multi-protocol data logging": octave bands to a JSON Lines file, levels to CSV, and the same data live
// over WebSocket and TCP, all from one pipeline. Files are complete on disk when StopStreamingAsync returns.
// Usage: MultiProtocolLogging [file.wav] [seconds] [output-directory]
using System.Globalization;
using Friture.Streaming;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.WebSockets;

IAudioSource source = args.Length > 0 && args[0] != "-"
    ? new WavFileSource(args[0])
    : new SignalGeneratorSource(new SignalGeneratorOptions { Waveform = SignalWaveform.PinkNoise, LevelDbfs = -20 });
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var directory = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "friture-logs");

await using var api = new StreamingApi(new StreamingApiOptions { AudioSource = source });
api.RegisterDefaultProducers();
api.SetRateLimit(DataType.OctaveSpectrum, 5);
api.SetRateLimit(DataType.Levels, 10);

var octaveLog = new FileConsumer(Path.Combine(directory, "octave.jsonl"), FileFormat.Jsonl, maxFileSizeMb: 100);
var levelsLog = new FileConsumer(Path.Combine(directory, "levels.csv"), FileFormat.Csv, maxFileSizeMb: 100);
api.RegisterConsumer(DataType.OctaveSpectrum, octaveLog);
api.RegisterConsumer(DataType.Levels, levelsLog);

// Port 0 picks free ports, so the sample never collides with a running friture-stream.
var websocket = new WebSocketProtocol(port: 0);
var tcp = new TcpProtocol(port: 0);
api.AddProtocol(websocket);
api.AddProtocol(tcp);
foreach (var protocol in new Friture.Streaming.Protocols.StreamingProtocol[] { websocket, tcp })
{
    var network = new NetworkConsumer(protocol, SerializationFormat.Json);
    api.RegisterConsumer(DataType.OctaveSpectrum, network);
    api.RegisterConsumer(DataType.Levels, network);
}

api.ErrorOccurred += (_, e) => Console.Error.WriteLine($"API error ({e.ErrorType}): {e.Message}");
await api.StartStreamingAsync();
Console.WriteLine($"streaming on ws://localhost:{websocket.Port}/ and tcp://localhost:{tcp.Port}");
await Task.Delay(TimeSpan.FromSeconds(seconds));
await api.StopStreamingAsync();

Console.WriteLine($"octave messages logged: {octaveLog.MessagesWritten} -> {octaveLog.CurrentFilePath}");
Console.WriteLine($"levels messages logged: {levelsLog.MessagesWritten} -> {levelsLog.CurrentFilePath}");
