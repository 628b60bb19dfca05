using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>
/// The real friture-stream at its defaults, 10 s of generated audio, publishing every type to a local Mosquitto and
/// sending it to a UDP receiver (udp_receiver.py, written from docs/wire-format.md): per data type the sequence numbers
/// received run from 0 without a gap or a duplicate, and both receivers got exactly the same messages.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class CliNetworkDeliveryTests : IDisposable
{
    private static readonly string[] Folders = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"];
    private readonly ChildProcesses _children = new();

    // Loose lower bounds of the CLI's rates (messages per second of audio) at its defaults, 48 kHz stereo, FFT 8192: a
    // loaded machine produces fewer (about 55 levels/s here at load 25), but a type far below would mean messages
    // never produced or never sent. The exact counts are checked against each other (UDP = MQTT) and for gaps.
    private static readonly Dictionary<string, double> MinimumRates = new(StringComparer.Ordinal)
    {
        ["levels"] = 25, ["pitch_tracker"] = 12, ["fft_spectrum"] = 6, ["octave_spectrum"] = 5, ["spectrogram"] = 6,
        ["scope"] = 15, ["delay_estimator"] = 0.2, ["loudness"] = 3,
    };

    [Fact]
    public async Task CliDefaults_TenSecondsToMosquittoAndUdp_NothingLostPerType()
    {
        var mosquitto = Find("mosquitto");
        var mosquittoSub = Find("mosquitto_sub");
        var mosquittoPub = Find("mosquitto_pub");
        if (mosquitto is null || mosquittoSub is null || mosquittoPub is null)
        {
            Prerequisite.Missing("mosquitto, mosquitto_sub and mosquitto_pub are not installed; run scripts/ci/mosquitto.sh.");
            return;
        }

        var directory = TestFiles.TempDirectory();
        var port = FreeTcpPort();
        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"persistence false\nlog_dest stderr\nlog_type error\nmax_queued_messages 100000\nlistener {port} 127.0.0.1\nallow_anonymous true\n");
        var broker = Start(mosquitto, "-c", config);
        var brokerPort = port.ToString(CultureInfo.InvariantCulture);
        await Wait.UntilAsync(() => CanConnect(port), "mosquitto to listen");

        var mqttLines = new List<string>();
        var subscriber = Start(mosquittoSub, "-h", "127.0.0.1", "-p", brokerPort, "-t", "friture/#", "-t", "probe", "-v");
        subscriber.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (mqttLines)
                {
                    mqttLines.Add(e.Data);
                }
            }
        };
        subscriber.BeginOutputReadLine();
        // mosquitto_sub gives no "subscribed" signal: publish probes until it prints one.
        await Wait.UntilAsync(
            async () =>
            {
                var probe = Start(mosquittoPub, "-h", "127.0.0.1", "-p", brokerPort, "-t", "probe", "-m", "ready");
                await probe.WaitForExitAsync(Wait.Token());
                lock (mqttLines)
                {
                    return mqttLines.Any(static l => l.StartsWith("probe ready", StringComparison.Ordinal));
                }
            },
            "mosquitto_sub to subscribe");

        var udp = Start(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", Path.Combine(AppContext.BaseDirectory, "udp_receiver.py"), "--idle", "5", "--timeout", "120");
        var first = await udp.StandardOutput.ReadLineAsync(Wait.Token());
        if (first?.StartsWith("port ", StringComparison.Ordinal) != true)
        {
            Assert.Fail($"udp_receiver.py did not start (scripts/ci/python-numpy.sh): {first} {await udp.StandardError.ReadToEndAsync(Wait.Token())}");
        }

        var udpPort = first![5..];

        await using var cli = CliProcess.Start(
            "--generate", "sine:440", "--duration", "10", "--port", "0", "--view", "plain", "--log-level", "warning",
            "--udp", $"127.0.0.1:{udpPort}", "--mqtt", $"127.0.0.1:{brokerPort}");
        await cli.WaitForExitAsync();
        Assert.True(cli.ExitCode == 0, cli.Output + cli.Error);
        var audioSeconds = cli.AudioSeconds();

        var summaryLine = await udp.StandardOutput.ReadLineAsync(Wait.Token());
        if (summaryLine is null)
        {
            Assert.Fail("udp_receiver.py printed no summary: " + await udp.StandardError.ReadToEndAsync(Wait.Token()));
        }

        using var summary = JsonDocument.Parse(summaryLine);
        var udpTypes = summary.RootElement.GetProperty("types");

        // MQTT: the last messages may still be on their way from the broker when the CLI exits.
        var mqttCounts = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        await Wait.UntilAsync(
            () =>
            {
                mqttCounts = MqttSequences(mqttLines);
                return udpTypes.EnumerateObject().All(t => mqttCounts.TryGetValue(t.Name, out var s) && s.Count >= t.Value.GetProperty("messages").GetInt32());
            },
            "the broker to deliver as many messages as the UDP receiver got");

        var report = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{audioSeconds:0.0} s of audio") };
        foreach (var (type, rate) in MinimumRates)
        {
            Assert.True(udpTypes.TryGetProperty(type, out var u), $"no {type} over UDP: {summaryLine}");
            var messages = u.GetProperty("messages").GetInt32();
            Assert.Equal(0, u.GetProperty("first").GetInt64());
            Assert.Equal(messages - 1, u.GetProperty("last").GetInt64());
            Assert.Equal(0, u.GetProperty("missing").GetArrayLength());
            Assert.Equal(0, u.GetProperty("duplicates").GetInt32());
            Assert.True(messages >= rate * audioSeconds, $"{type}: {messages} messages in {audioSeconds} s, expected at least {rate}/s");

            var mqtt = mqttCounts[type];
            Assert.Equal(Enumerable.Range(0, mqtt.Count).Select(static i => (long)i), mqtt.Order());
            Assert.Equal(messages, mqtt.Count);
            report.Add($"{type}: {messages} over UDP and over MQTT, sequence 0..{messages - 1}, none missing");
        }

        Assert.Equal(0, summary.RootElement.GetProperty("incomplete").GetInt32());
        Assert.Contains(" 0 dropped", cli.Output, StringComparison.Ordinal);
        await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "friture-cli-delivery.txt"), report);
    }

    private static Dictionary<string, List<long>> MqttSequences(List<string> lines)
    {
        var result = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        string[] copy;
        lock (lines)
        {
            copy = [.. lines];
        }

        foreach (var line in copy)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0 || !line.StartsWith("friture/", StringComparison.Ordinal) || space + 1 >= line.Length || line[space + 1] != '{')
            {
                continue;
            }

            using var message = JsonDocument.Parse(line[(space + 1)..]);
            var metadata = message.RootElement.GetProperty("metadata");
            var type = metadata.GetProperty("data_type").GetString()!;
            if (!result.TryGetValue(type, out var list))
            {
                result[type] = list = [];
            }

            list.Add(metadata.GetProperty("sequence_number").GetInt64());
        }

        return result;
    }

    private static string? Find(string name) =>
        Folders.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public void Dispose() => _children.Dispose();

    private Process Start(string program, params string[] arguments) => _children.Start(program, arguments);

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
