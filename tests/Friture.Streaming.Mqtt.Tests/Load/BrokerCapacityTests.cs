using System.Diagnostics;
using Friture.Streaming.Data;
using Friture.Streaming.Mqtt.Tests.Support;
using Friture.Streaming.Serialization;
using MQTTnet;
using MQTTnet.Protocol;

namespace Friture.Streaming.Mqtt.Tests.Load;

/// <summary>
/// How many sources at Friture's default rates one local Mosquitto carries (docs/mqtt-osc.md). Explicit: run with
/// <c>dotnet test --project tests/Friture.Streaming.Mqtt.Tests -- --explicit only</c>. Bounded: about 10 s per step.
/// </summary>
public sealed class BrokerCapacityTests(ITestOutputHelper helper)
{
    private readonly Report output = new(helper);

    // Default rates of the seed (Hz) and realistic JSON payloads, encoded once per type.
    private static readonly (DataType Type, double RateHz)[] Rates =
    [
        (DataType.PitchTracker, 50), (DataType.FftSpectrum, 30), (DataType.OctaveSpectrum, 20), (DataType.Levels, 100),
        (DataType.DelayEstimator, 10), (DataType.Spectrogram, 25), (DataType.Scope, 60),
    ];

    [Fact(Explicit = true)]
    public async Task Capacity_SourcesAtDefaultRates_UntilBrokerFallsBehind()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var payloads = Rates.Select(r => StreamingJson.SerializeToUtf8Bytes(new StreamingData(
            new StreamingMetadata { DataType = r.Type, Timestamp = DateTimeOffset.UtcNow, StreamTime = 12.345, SampleRate = 48_000, Channels = 2, SequenceNumber = 123_456, ProducerId = "mic" },
            Sample(r.Type)))).ToArray();
        for (var t = 0; t < Rates.Length; t++)
        {
            output.WriteLine($"{Rates[t].Type.Name}: {Rates[t].RateHz} Hz x {payloads[t].Length} B");
        }

        var perSource = Rates.Sum(r => r.RateHz);
        var bytesPerSource = Rates.Select((r, i) => r.RateHz * payloads[i].Length).Sum();
        output.WriteLine($"per source: {perSource} msg/s, {bytesPerSource / 1024:F0} KiB/s");

        await using var subscriber = await TestSubscriber.ConnectAsync(broker.Port, "friture/#");
        var clients = new List<IMqttClient>();
        var budget = Stopwatch.StartNew();
        try
        {
            foreach (var sources in new[] { 1, 2, 4, 8, 12, 16, 24, 32, 48, 64 })
            {
                while (clients.Count < sources)
                {
                    var client = new MqttClientFactory().CreateMqttClient();
                    await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId($"load-{clients.Count}").Build());
                    clients.Add(client);
                }

                subscriber.Messages.Clear();
                var seconds = 5.0;
                var published = await PublishAsync(clients, payloads, seconds);
                var drainStart = Stopwatch.StartNew();
                while (subscriber.Messages.Count < published && drainStart.Elapsed < TimeSpan.FromSeconds(2))
                {
                    await Task.Delay(50);
                }

                var offered = sources * perSource * seconds;
                var delivered = subscriber.Messages.Count;
                output.WriteLine($"{sources,3} sources: offered {offered,8:F0}, published {published,8}, delivered {delivered,8} ({100.0 * delivered / offered:F1} %), {delivered / seconds:F0} msg/s, {sources * bytesPerSource / 1024 / 1024:F1} MiB/s offered");
                if (published < offered * 0.95 || delivered < offered * 0.95 || budget.Elapsed > TimeSpan.FromSeconds(120))
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<long> PublishAsync(List<IMqttClient> clients, byte[][] payloads, double seconds)
    {
        long published = 0;
        var tasks = clients.Select((client, index) => Task.Run(async () =>
        {
            var due = new double[Rates.Length];
            var clock = Stopwatch.StartNew();
            var sent = new long[Rates.Length];
            var messages = Rates.Select((r, t) => new MqttApplicationMessageBuilder()
                .WithTopic($"friture/s{index}/{r.Type.Name}").WithPayload(payloads[t]).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build()).ToArray();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var now = clock.Elapsed.TotalSeconds;
                for (var t = 0; t < Rates.Length; t++)
                {
                    while (sent[t] < now * Rates[t].RateHz)
                    {
                        await client.PublishAsync(messages[t]);
                        sent[t]++;
                        Interlocked.Increment(ref published);
                    }
                }

                await Task.Delay(5);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return published;
    }

    private static StreamingPayload Sample(DataType type)
    {
        var random = new Random(1);
        float[] Values(int n, float scale) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * scale) - scale)];
        return type.Name switch
        {
            // FFT 2048 points reduced to 1025 bins (frequencies, linear and dB magnitudes).
            "fft_spectrum" => new FftSpectrumData { Frequencies = [.. Enumerable.Range(0, 1025).Select(i => i * 23.4375f)], MagnitudesLinear = [.. Values(1025, 1)], MagnitudesDb = [.. Values(1025, 120)], FftSize = 2048 },
            // 1/3 octave, 30 bands.
            "octave_spectrum" => new OctaveSpectrumData { BandsPerOctave = 3, CenterFrequencies = [.. Values(30, 20000)], LowerFrequencies = [.. Values(30, 20000)], UpperFrequencies = [.. Values(30, 20000)], BandEnergiesDb = [.. Values(30, 100)], BandLabels = [.. Enumerable.Range(0, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))] },
            "levels" => new LevelsData { PeakLevelsDb = [-3.1f, -4.2f], RmsLevelsDb = [-9.3f, -10.1f], PeakHoldLevelsDb = [-1f, -2f], LeqLevelsDb = [-9f, -10f], MaxLevelsDb = [-8f, -9f], ChannelLabels = ["ch1", "ch2"] },
            "pitch_tracker" => new PitchData { FrequencyHz = 440.12, Confidence = 0.93, NoteName = "A4", CentsOffset = 0.5, AmplitudeDb = -12.3, HarmonicClarity = 0.9 },
            "delay_estimator" => new DelayEstimatorData { DelayMs = 1.23, DelaySamples = 59.04, Confidence = 0.8, CorrelationPeak = 0.7, Polarity = Polarity.InPhase, DistanceM = 0.42 },
            // 512 log-spaced bins.
            "spectrogram" => new SpectrogramData { Frequencies = [.. Values(512, 20000)], MagnitudesDb = [.. Values(512, 120)], FftSize = 2048, FrequencyScale = "log" },
            // 2 channels x 512 reduced points.
            _ => new ScopeData { Times = [.. Values(512, 0.03f)], Samples = [[.. Values(512, 1)], [.. Values(512, 1)]], ChannelLabels = ["ch1", "ch2"], WindowSeconds = 0.03 },
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
