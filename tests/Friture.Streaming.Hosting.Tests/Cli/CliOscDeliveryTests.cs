using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Friture.Streaming.Hosting.Tests.Support;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>
/// The real friture-stream at its defaults, 10 s of generated audio, sending every type as OSC over loopback UDP to two
/// independent receivers: osc_receiver.py (written from docs/mqtt-osc.md, checks each message's layout against the
/// address table and reads the trailing metadata arguments) and liblo's oscdump. Per data type the sequence numbers run
/// from 0 without a gap, a duplicate or a step back, stream_time never goes back, and oscdump printed exactly the same
/// sequence numbers.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class CliOscDeliveryTests : IDisposable
{
    private static readonly string[] OscdumpPaths = ["/usr/bin/oscdump", "/usr/local/bin/oscdump"];
    private readonly ChildProcesses _children = new();

    // Loose lower bounds of the CLI's rates (messages per second of audio), as in CliNetworkDeliveryTests: a type far
    // below would mean messages never produced or never sent; the exact numbers are checked for gaps.
    private static readonly Dictionary<string, (string Address, double Rate)> Types = new(StringComparer.Ordinal)
    {
        ["levels"] = ("/friture/levels", 25), ["pitch_tracker"] = ("/friture/pitch", 12), ["fft_spectrum"] = ("/friture/fft", 6),
        ["octave_spectrum"] = ("/friture/octave", 5), ["spectrogram"] = ("/friture/spectrogram", 6), ["scope"] = ("/friture/scope", 15),
        ["delay_estimator"] = ("/friture/delay", 0.2), ["loudness"] = ("/friture/loudness", 3),
    };

    [Fact]
    public async Task CliDefaults_TenSecondsOverOsc_SequenceNumbersConsecutivePerType()
    {
        var oscdump = OscdumpPaths.FirstOrDefault(File.Exists);
        if (oscdump is null)
        {
            Prerequisite.Missing("oscdump (Debian liblo-tools) is not installed; run scripts/ci/mosquitto.sh.");
            return;
        }

        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        Process receiver;
        try
        {
            receiver = Start(python, Path.Combine(AppContext.BaseDirectory, "osc_receiver.py"), "--idle", "5", "--timeout", "120");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Prerequisite.Missing("python3 is not installed; it runs osc_receiver.py, the independent OSC decoder.");
            return;
        }

        var first = await receiver.StandardOutput.ReadLineAsync(Wait.Token());
        if (first?.StartsWith("port ", StringComparison.Ordinal) != true)
        {
            Prerequisite.Missing($"osc_receiver.py did not start (python3 is needed): {first} {await receiver.StandardError.ReadToEndAsync(Wait.Token())}");
            return;
        }

        var receiverPort = first[5..];

        // oscdump gives no "listening" signal: send a probe message until it prints one.
        var dumpPort = FreeUdpPort();
        var dumpLines = new List<string>();
        var dump = Start(oscdump, "-L", dumpPort.ToString(CultureInfo.InvariantCulture));
        dump.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (dumpLines)
                {
                    dumpLines.Add(e.Data);
                }
            }
        };
        dump.BeginOutputReadLine();
        dump.BeginErrorReadLine();
        using (var probe = new UdpClient())
        {
            byte[] message = [.. "/probe"u8, 0, 0, (byte)',', 0, 0, 0];
            await Wait.UntilAsync(
                async () =>
                {
                    await probe.SendAsync(message, new IPEndPoint(IPAddress.Loopback, dumpPort), Wait.Token());
                    lock (dumpLines)
                    {
                        return dumpLines.Any(static l => l.Contains("/probe", StringComparison.Ordinal));
                    }
                },
                "oscdump to print a probe message");
        }

        await using var cli = CliProcess.Start(
            "--generate", "sine:440", "--duration", "10", "--port", "0", "--view", "plain", "--log-level", "warning",
            "--osc", $"127.0.0.1:{receiverPort}", "--osc", $"127.0.0.1:{dumpPort}");
        await cli.WaitForExitAsync();
        Assert.True(cli.ExitCode == 0, cli.Output + cli.Error);
        var audioSeconds = cli.AudioSeconds();

        var summaryLine = await receiver.StandardOutput.ReadLineAsync(Wait.Token());
        if (summaryLine is null)
        {
            Assert.Fail("osc_receiver.py printed no summary: " + await receiver.StandardError.ReadToEndAsync(Wait.Token()));
        }

        using var summary = JsonDocument.Parse(summaryLine);
        var received = summary.RootElement.GetProperty("types");
        Assert.Equal(0, summary.RootElement.GetProperty("incomplete").GetInt32());

        // oscdump got the same datagrams: wait until it has printed as many of each type as the Python receiver decoded.
        var dumped = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        await Wait.UntilAsync(
            () =>
            {
                dumped = OscdumpSequences(dumpLines);
                return Types.All(t => received.TryGetProperty(t.Key, out var r)
                    && dumped.TryGetValue(t.Value.Address, out var d) && d.Count >= r.GetProperty("messages").GetInt32());
            },
            "oscdump to print as many messages per type as osc_receiver.py decoded");

        var report = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{audioSeconds:0.0} s of audio, OSC over loopback UDP at the CLI's defaults") };
        foreach (var (type, (address, rate)) in Types)
        {
            Assert.True(received.TryGetProperty(type, out var r), $"no {type} over OSC: {summaryLine}");
            var messages = r.GetProperty("messages").GetInt32();
            Assert.Equal(0, r.GetProperty("layout_errors").GetInt32());
            Assert.Equal(0, r.GetProperty("first").GetInt64());
            Assert.Equal(messages - 1, r.GetProperty("last").GetInt64());
            Assert.Equal(0, r.GetProperty("missing").GetArrayLength());
            Assert.Equal(0, r.GetProperty("duplicates").GetInt32());
            Assert.Equal(0, r.GetProperty("out_of_order").GetInt32());
            Assert.Equal(0, r.GetProperty("time_went_back").GetInt32());
            Assert.True(messages >= rate * audioSeconds, $"{type}: {messages} messages in {audioSeconds} s, expected at least {rate}/s");

            Assert.Equal(Enumerable.Range(0, messages).Select(static i => (long)i), dumped[address]);
            report.Add($"{type}: {messages} messages to both receivers, sequence 0..{messages - 1} in order, none missing");
        }

        Assert.Contains(" 0 dropped", cli.Output, StringComparison.Ordinal);
        await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "friture-cli-osc-delivery.txt"), report);
    }

    /// <summary>
    /// oscdump prints a message as <c>[time tag] address tags arg arg ...</c>; the metadata are the last three integers,
    /// the sequence number first (docs/mqtt-osc.md). Strings (the pitch note) contain no spaces.
    /// </summary>
    private static Dictionary<string, List<long>> OscdumpSequences(List<string> lines)
    {
        string[] copy;
        lock (lines)
        {
            copy = [.. lines];
        }

        var result = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var line in copy)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.FindIndex(parts, static p => p.StartsWith("/friture/", StringComparison.Ordinal));
            if (at < 0 || at + 1 >= parts.Length || !parts[at + 1].EndsWith("iii", StringComparison.Ordinal) || parts.Length < at + 5)
            {
                continue;
            }

            if (!result.TryGetValue(parts[at], out var list))
            {
                result[parts[at]] = list = [];
            }

            // A signed int32 on the wire: the low 32 bits of the sequence number.
            list.Add(unchecked((uint)int.Parse(parts[^3], CultureInfo.InvariantCulture)));
        }

        return result;
    }

    public void Dispose() => _children.Dispose();

    private Process Start(string program, params string[] arguments) => _children.Start(program, arguments);

    private static int FreeUdpPort()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }
}
