using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Friture.Streaming.Data;
using Friture.Streaming.Mqtt.Tests.Support;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Friture.Streaming.Mqtt.Tests.Load;

/// <summary>
/// How many sources at the CLI's defaults one local Mosquitto carries with nothing lost (docs/mqtt-osc.md). Explicit:
/// run with <c>dotnet test --project tests/Friture.Streaming.Mqtt.Tests -c Release -- --explicit only</c>; the report
/// is written to <c>$TMPDIR/mqtt-capacity.txt</c>. About 10 s per step.
/// </summary>
/// <remarks>
/// Each source is its own MQTT connection publishing QoS 0, at the CLI's rates (48 kHz stereo, FFT 8192, measured in
/// docs/wire-format.md), the JSON the MQTT protocol publishes at its default resolution
/// (<see cref="ResolutionRequest.NetworkDefault"/>): payloads of the CLI's full sizes reduced by
/// <see cref="PayloadReducer"/>, encoded once per type. One MQTTnet subscriber on <c>friture/#</c> counts what arrives
/// and the latency (publish to receipt, one clock: publishers and subscriber share the process). CPU: the broker's from
/// /proc, the test process's (publishers + subscriber) from <see cref="Process.TotalProcessorTime"/>.
/// </remarks>
public sealed class BrokerCapacityTests(ITestOutputHelper helper)
{
    private const double StepSeconds = 8;

    private readonly Report output = new(helper);

    // The CLI's rates at its defaults (messages per second, measured over WebSocket, docs/wire-format.md).
    private static readonly (DataType Type, double RateHz)[] Rates =
    [
        (DataType.Levels, 93), (DataType.PitchTracker, 47), (DataType.FftSpectrum, 23.5), (DataType.OctaveSpectrum, 20),
        (DataType.Spectrogram, 25), (DataType.Scope, 60), (DataType.DelayEstimator, 1), (DataType.Loudness, 10),
    ];

    [Fact(Explicit = true)]
    public async Task Capacity_SourcesAtCliDefaults_NothingLost()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var payloads = Rates.Select(r => StreamingJson.SerializeToUtf8Bytes(PayloadReducer.Reduce(new StreamingData(
            new StreamingMetadata { DataType = r.Type, Timestamp = DateTimeOffset.UtcNow, StreamTime = 12.345, SampleRate = 48_000, Channels = 2, SequenceNumber = 123_456, ProducerId = r.Type.Name },
            Sample(r.Type)), ResolutionRequest.NetworkDefault))).ToArray();
        output.WriteLine($"Mosquitto capacity at the CLI's defaults, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        for (var t = 0; t < Rates.Length; t++)
        {
            output.WriteLine($"  {Rates[t].Type.Name}: {Rates[t].RateHz} Hz x {payloads[t].Length} B");
        }

        var perSource = Rates.Sum(r => r.RateHz);
        var bytesPerSource = Rates.Select((r, i) => r.RateHz * payloads[i].Length).Sum();
        output.WriteLine($"  per source: {perSource} msg/s, {bytesPerSource / 1000:F0} kB/s of payload");
        output.WriteLine("sources | published | delivered | lost | msg/s | latency p50 / p95 ms | broker CPU % | test process CPU %");

        var received = new ConcurrentQueue<long>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            var now = Stopwatch.GetTimestamp();
            if (e.ApplicationMessage.UserProperties?.FirstOrDefault(static p => p.Name == "t") is { } sent)
            {
                // User property values are UTF-8 strings (MQTT 5): the publish timestamp in decimal.
                received.Enqueue(now - long.Parse(System.Text.Encoding.UTF8.GetString(sent.ValueBuffer.Span), CultureInfo.InvariantCulture));
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("capacity-sub").Build());
        await subscriber.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder().WithTopicFilter("friture/#", MqttQualityOfServiceLevel.AtMostOnce).Build());

        var clients = new List<IMqttClient>();
        var carried = 0;
        try
        {
            foreach (var sources in new[] { 1, 10, 20, 30, 40, 60, 80 })
            {
                while (clients.Count < sources)
                {
                    var client = new MqttClientFactory().CreateMqttClient();
                    await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId($"load-{clients.Count}").Build());
                    clients.Add(client);
                }

                received.Clear();
                var brokerCpu = ProcessCpuSeconds(broker.ProcessId);
                var ownCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
                var wall = Stopwatch.StartNew();
                var published = await PublishAsync(clients, payloads, StepSeconds);
                var drain = Stopwatch.StartNew();
                while (received.Count < published && drain.Elapsed < TimeSpan.FromSeconds(5))
                {
                    await Task.Delay(50);
                }

                var seconds = wall.Elapsed.TotalSeconds;
                var brokerPercent = 100 * (ProcessCpuSeconds(broker.ProcessId) - brokerCpu) / seconds;
                var ownPercent = 100 * (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - ownCpu) / seconds;
                var latencies = received.Select(static ticks => ticks * 1000.0 / Stopwatch.Frequency).Order().ToArray();
                var delivered = latencies.Length;
                var lost = published - delivered;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{sources,7} | {published,9} | {delivered,9} | {lost,4} | {delivered / StepSeconds,5:F0} | {Percentile(latencies, 0.5),8:F1} / {Percentile(latencies, 0.95),6:F1} | {brokerPercent,12:F0} | {ownPercent,18:F0}"));
                if (lost > 0 || published < sources * perSource * StepSeconds * 0.95)
                {
                    output.WriteLine(lost > 0 ? $"  {sources} sources: {lost} lost" : $"  {sources} sources: the publishers could not offer the full rate ({published} of {sources * perSource * StepSeconds:F0})");
                    break;
                }

                carried = sources;
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        output.WriteLine($"carried with nothing lost: {carried} sources");
        Assert.True(carried >= 20, $"one local Mosquitto carried {carried} sources at the CLI's defaults with nothing lost; at least 20 expected (docs/mqtt-osc.md)");
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>utime + stime of a process from /proc/&lt;pid&gt;/stat, in seconds.</summary>
    private static double ProcessCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<long> PublishAsync(List<IMqttClient> clients, byte[][] payloads, double seconds)
    {
        long published = 0;
        var tasks = clients.Select((client, index) => Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            var sent = new long[Rates.Length];
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var now = clock.Elapsed.TotalSeconds;
                for (var t = 0; t < Rates.Length; t++)
                {
                    while (sent[t] < now * Rates[t].RateHz)
                    {
                        var message = new MqttApplicationMessageBuilder()
                            .WithTopic($"friture/s{index}/{Rates[t].Type.Name}").WithPayload(payloads[t]).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                            .WithUserProperty("t", new ReadOnlyMemory<byte>(System.Text.Encoding.UTF8.GetBytes(Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)))).Build();
                        await client.PublishAsync(message);
                        sent[t]++;
                        Interlocked.Increment(ref published);
                    }
                }

                await Task.Delay(5);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return Interlocked.Read(ref published);
    }

    /// <summary>A payload of the size the CLI produces at its defaults (48 kHz stereo, FFT 8192, 1/3 octave, 50 ms scope).</summary>
    private static StreamingPayload Sample(DataType type)
    {
        var random = new Random(1);
        float[] Values(int n, float low, float high) => [.. Enumerable.Range(0, n).Select(_ => (float)(low + (random.NextDouble() * (high - low))))];
        float[] Bins(int n, float step) => [.. Enumerable.Range(0, n).Select(i => i * step)];
        return type.Name switch
        {
            "fft_spectrum" => new FftSpectrumData { Frequencies = [.. Bins(4097, 48_000f / 8192)], MagnitudesLinear = [.. Values(4097, 0, 1)], MagnitudesDb = [.. Values(4097, -120, 0)], FftSize = 8192, PeakFrequency = 440, PeakMagnitude = -3 },
            "octave_spectrum" => new OctaveSpectrumData
            {
                BandsPerOctave = 3, OverallLevel = -3.2,
                CenterFrequencies = [.. Enumerable.Range(0, 31).Select(i => 20f * MathF.Pow(2, i / 3f))],
                LowerFrequencies = [.. Enumerable.Range(0, 31).Select(i => 20f * MathF.Pow(2, (i - 0.5f) / 3f))],
                UpperFrequencies = [.. Enumerable.Range(0, 31).Select(i => 20f * MathF.Pow(2, (i + 0.5f) / 3f))],
                BandEnergiesDb = [.. Values(31, -100, 0)],
                BandLabels = [.. Enumerable.Range(0, 31).Select(i => (20 * Math.Pow(2, i / 3.0)).ToString("0", CultureInfo.InvariantCulture))],
            },
            "levels" => new LevelsData { PeakLevelsDb = [-3.1f, -4.2f], RmsLevelsDb = [-9.3f, -10.1f], PeakHoldLevelsDb = [-1f, -2f], LeqLevelsDb = [-9f, -10f], MaxLevelsDb = [-8f, -9f], ChannelLabels = ["ch1", "ch2"] },
            "pitch_tracker" => new PitchData { FrequencyHz = 440.12, Confidence = 0.93, NoteName = "A4", CentsOffset = 0.5, AmplitudeDb = -12.3, HarmonicClarity = 0.9 },
            "delay_estimator" => new DelayEstimatorData { DelayMs = 1.23, DelaySamples = 59.04, Confidence = 0.8, CorrelationPeak = 0.7, Polarity = Polarity.InPhase, DistanceM = 0.42 },
            "loudness" => new LoudnessData { MomentaryLufs = -23.1, ShortTermLufs = -23.4, IntegratedLufs = -23.0, LoudnessRangeLu = 3.2, TruePeakDbtp = -1.1, SamplePeakDbfs = -1.3, MaxMomentaryLufs = -20.5, MaxShortTermLufs = -21.7, DurationSeconds = 12.3 },
            "spectrogram" => new SpectrogramData { Frequencies = [.. Bins(1025, 48_000f / 2048)], MagnitudesDb = [.. Values(1025, -120, 0)], FftSize = 2048, FrequencyScale = "log" },
            // 50 ms at 48 kHz, 2 channels.
            _ => new ScopeData
            {
                Times = [.. Enumerable.Range(0, 2400).Select(i => (i - 1200) / 48_000f)],
                Samples = [ImmutableArray.Create(Values(2400, -1, 1)), ImmutableArray.Create(Values(2400, -1, 1))],
                ChannelLabels = ["ch1", "ch2"], WindowSeconds = 0.05, Triggered = true,
            },
        };
    }

    /// <summary>Writes to the test output and to mqtt-capacity.txt in the temp folder (test output of passed tests is hidden).</summary>
    private sealed class Report(ITestOutputHelper helper)
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), "mqtt-capacity.txt");

        public void WriteLine(string line)
        {
            helper.WriteLine(line);
            File.AppendAllText(_path, line + Environment.NewLine);
        }
    }
}
