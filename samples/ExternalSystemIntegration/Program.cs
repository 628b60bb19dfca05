// The seed's "external system integration": audio comes from someone else's capture API (here a simulated callback,
// exactly where NAudio's WaveInEvent.DataAvailable would push its bytes), and results leave through a queue consumer
// drained by a worker thread that forwards level alarms to an external system (here: JSON lines on stdout).
// Usage: ExternalSystemIntegration [file.wav] [seconds]
using System.Globalization;
using System.Text.Json;
using Friture.Streaming;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Audio;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;

var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 4;
const double AlarmDbfs = -20;

// 1. The external capture: 16-bit PCM buffers arriving on its own thread (NAudio: waveIn.DataAvailable += ...).
var format = new AudioFormat(48_000, 1);
var push = new PushAudioSource(format);
using var capture = new SimulatedCapture(args.Length > 0 && args[0] != "-" ? args[0] : null, format, push.WritePcm16);

await using var api = new StreamingApi(new StreamingApiOptions { AudioSource = push });
api.RegisterProducer(new LevelsProducer(new LevelsOptions { TimeWeighting = LevelTimeWeighting.Fast }));
api.SetRateLimit(DataType.Levels, 10);

// 2. A queue consumer read by a worker thread: the integration code never runs on the audio path.
var queue = new QueueConsumer(maxQueueSize: 100, OverflowStrategy.DropOldest);
api.RegisterConsumer(DataType.Levels, queue);
var alarms = 0;
var worker = new Thread(() =>
{
    while (true)
    {
        var data = queue.GetData(TimeSpan.FromSeconds(1));
        if (data is null)
        {
            if (!api.IsStreaming && capture.FramesPushed > 0)
            {
                return;
            }

            continue;
        }

        if (data.Data is LevelsData levels && levels.RmsLevelsDb[0] > AlarmDbfs)
        {
            alarms++;
            Console.WriteLine(JsonSerializer.Serialize(new { alarm = "level", rms_dbfs = Math.Round(levels.RmsLevelsDb[0], 1), stream_time = data.Metadata.StreamTime }));
        }
    }
}) { IsBackground = true };

await api.StartStreamingAsync();
worker.Start();
capture.Start();
await Task.Delay(TimeSpan.FromSeconds(seconds));
capture.Stop();
await api.StopStreamingAsync();
worker.Join(TimeSpan.FromSeconds(5));
Console.WriteLine($"alarms forwarded: {alarms}; frames pushed: {capture.FramesPushed}; push overflows: {push.Overflows}");

/// <summary>Stands in for a capture API: reads a WAV file (or makes a loud/quiet tone) and pushes 16-bit PCM every 10 ms.</summary>
internal sealed class SimulatedCapture(string? wavPath, AudioFormat format, Action<ReadOnlySpan<byte>> dataAvailable) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _task;

    public long FramesPushed { get; private set; }

    public void Start() => _task = Task.Run(RunAsync);

    public void Stop()
    {
        _stop.Cancel();
        _task?.Wait();
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync()
    {
        var frames = format.SampleRate / 100;
        var samples = new float[frames];
        var bytes = new byte[frames * 2];
        using var wav = wavPath is null ? null : new WavFileSource(wavPath, new WavFileSourceOptions { RealTime = false, Loop = true });
        wav?.Start();
        var mono = new float[frames * (wav?.Format.Channels ?? 1)];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        long n = 0;
        while (await timer.WaitForNextTickAsync(CancellationToken.None) && !_stop.IsCancellationRequested)
        {
            if (wav is not null)
            {
                var read = wav.Read(mono, CancellationToken.None);
                for (var i = 0; i < frames; i++)
                {
                    samples[i] = i < read.Frames ? mono[i * wav.Format.Channels] : 0;
                }
            }
            else
            {
                // One second loud (-6 dBFS), one second quiet (-40 dBFS).
                var amplitude = (n / format.SampleRate) % 2 == 0 ? 0.5 : 0.01;
                for (var i = 0; i < frames; i++, n++)
                {
                    samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * 1000 * n / format.SampleRate));
                }
            }

            for (var i = 0; i < frames; i++)
            {
                var s = (short)Math.Clamp(samples[i] * 32767, short.MinValue, short.MaxValue);
                bytes[2 * i] = (byte)s;
                bytes[(2 * i) + 1] = (byte)(s >> 8);
            }

            dataAvailable(bytes);
            FramesPushed += frames;
        }
    }
}
