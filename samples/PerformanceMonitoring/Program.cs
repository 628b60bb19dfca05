// The seed's "performance monitoring": statistics every second (data rate, active consumers, drops, queue memory,
// rate limiter and buffer figures), plus the same figures as System.Diagnostics.Metrics on the "Friture.Streaming" meter.
// Usage: PerformanceMonitoring [file.wav] [seconds]
using System.Diagnostics.Metrics;
using System.Globalization;
using Friture.Streaming;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Consumers;

IAudioSource source = args.Length > 0 && args[0] != "-"
    ? new WavFileSource(args[0])
    : new SignalGeneratorSource(new SignalGeneratorOptions { Waveform = SignalWaveform.WhiteNoise, LevelDbfs = -20, Channels = 2 });
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;

await using var api = new StreamingApi(new StreamingApiOptions { AudioSource = source });
api.RegisterDefaultProducers();

// A fast consumer for every type and one deliberately slow one, so the statistics have something to show.
foreach (var type in DataType.BuiltIn)
{
    api.RegisterConsumer(type, new QueueConsumer(maxQueueSize: 10_000, consumerId: $"sink-{type.Name}"));
}

api.RegisterConsumer(DataType.FftSpectrum, new CallbackConsumer(_ => Thread.Sleep(50), maxCallbackTimeMs: 10, consumerId: "slow-fft")
{
    BufferOptions = new Friture.Streaming.Buffering.BufferOptions { MaxSize = 5 },
});

using var listener = new MeterListener();
var produced = 0L;
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == "Friture.Streaming" && instrument.Name == "friture.streaming.messages.produced")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<long>((_, value, _, _) => produced += value);
listener.Start();

await api.StartStreamingAsync();
for (var second = 1; second <= seconds; second++)
{
    await Task.Delay(TimeSpan.FromSeconds(1));
    var stats = api.GetStatistics();
    var slow = stats.Consumers.First(c => c.ConsumerId == "slow-fft");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"[{second}s] data rate {stats.DataRateHz:F1} Hz, produced {stats.TotalProduced}, delivered {stats.TotalDelivered}, dropped {stats.TotalDropped}, rate-limited {stats.TotalRateLimited}, queued {stats.Buffers.TotalQueued} ({stats.MemoryBytes / 1024.0:F1} KiB), slow-fft slow calls {slow.SlowDeliveries}"));
}

await api.StopStreamingAsync();
produced = 0;
listener.RecordObservableInstruments();
Console.WriteLine($"metrics: friture.streaming.messages.produced = {produced}");
Console.WriteLine("final statistics:");
Console.WriteLine(api.GetStatistics().ToJson(indented: true));
