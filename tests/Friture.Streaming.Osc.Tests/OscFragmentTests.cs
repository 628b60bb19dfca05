using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Osc.Encoding;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Osc.Tests;

/// <summary>
/// Packets over <c>max_packet_bytes</c> are split into <c>/friture/fragment ,iiiib</c> messages (docs/mqtt-osc.md),
/// reassembled and decoded by osc_receiver.py, written from the documentation alone, and accepted by oscdump.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class OscFragmentTests
{
    private static readonly string[] OscdumpPaths = ["/usr/bin/oscdump", "/usr/local/bin/oscdump"];

    [Fact]
    public async Task FullResolution_192kHz8ChannelScopeAndWholeFft_ReassembledByAnIndependentReceiver()
    {
        await using var receiver = await StartReceiverAsync(3);
        await using var protocol = new OscProtocol("127.0.0.1", 0, new OscProtocolOptions { SpectrumPoints = 0, Resolution = ResolutionRequest.Full });
        protocol.AddClient("127.0.0.1", receiver.Port);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        var scope = Scope(channels: 8, points: 9600); // 50 ms at 192 kHz: a 307 kB blob
        var fft = Messages.Fft(2, bins: 4097);

        protocol.Broadcast(new StreamingData(Messages.Metadata(DataType.Scope, 1, 0.05), scope), SerializationFormat.Json);
        var scopeLine = await receiver.NextAsync();
        protocol.Broadcast(fft, SerializationFormat.Json);
        var fftLine = await receiver.NextAsync();
        protocol.Broadcast(Messages.Pitch(3), SerializationFormat.Json);
        var pitchLine = await receiver.NextAsync();

        Assert.True(scopeLine.GetProperty("fragments").GetInt32() >= 37, scopeLine.GetProperty("fragments").ToString());
        var message = scopeLine.GetProperty("packet").GetProperty("elements")[0];
        Assert.Equal("/friture/scope", message.GetProperty("address").GetString());
        Assert.Equal(",iibiii", message.GetProperty("tags").GetString());
        Assert.Equal([1, 0, 50_000_000], message.GetProperty("args").EnumerateArray().Skip(3).Select(static a => a.GetInt32())); // sequence 1, 0.05 s
        Assert.Equal(8, message.GetProperty("args")[0].GetInt32());
        Assert.Equal(9600, message.GetProperty("args")[1].GetInt32());
        var samples = message.GetProperty("args")[2].EnumerateArray().Select(static v => (float)v.GetDouble()).ToArray();
        Assert.Equal(scope.Samples.SelectMany(static c => c).ToArray(), samples);

        Assert.True(fftLine.GetProperty("fragments").GetInt32() >= 2);
        var spectrum = fftLine.GetProperty("packet").GetProperty("elements")[0];
        Assert.Equal(",iffbiii", spectrum.GetProperty("tags").GetString());
        Assert.Equal(2, spectrum.GetProperty("args")[4].GetInt32());
        Assert.Equal(((FftSpectrumData)fft.Data).MagnitudesDb, spectrum.GetProperty("args")[3].EnumerateArray().Select(static v => (float)v.GetDouble()));
        Assert.Equal(1, pitchLine.GetProperty("fragments").GetInt32());
        Assert.Equal(0, protocol.GetStatistics().OversizeMessages);
    }

    [Fact]
    public async Task Fragments_AreValidOscMessages_EachWithinTheLimit()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var protocol = new OscProtocol("127.0.0.1", 0, new OscProtocolOptions { SpectrumPoints = 0, MaxPacketBytes = 1024, UseBundles = false, Resolution = ResolutionRequest.Full });
        protocol.AddClient("127.0.0.1", ((IPEndPoint)receiver.Client.LocalEndPoint!).Port);
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        protocol.Broadcast(Messages.Fft(0, bins: 1025), SerializationFormat.Json);

        // ",iffb" + 1,025 floats: 4,100-byte blob + 28 bytes; pieces of 1024 - 48 = 976 bytes.
        var first = await ReceiveAsync(receiver);
        Assert.Equal("/friture/fragment", first.Address);
        Assert.Equal("iiiib", first.TypeTags);
        var count = (int)first.Arguments[2];
        var total = (int)first.Arguments[3];
        var pieces = new List<byte[]> { (byte[])first.Arguments[4] };
        for (var i = 1; i < count; i++)
        {
            var fragment = await ReceiveAsync(receiver);
            Assert.Equal(i, (int)fragment.Arguments[1]);
            Assert.Equal(first.Arguments[0], fragment.Arguments[0]);
            pieces.Add((byte[])fragment.Arguments[4]);
        }

        var packet = pieces.SelectMany(static p => p).ToArray();
        Assert.Equal(total, packet.Length);
        Assert.Equal((total + 975) / 976, count);
        var whole = Assert.IsType<OscMessage>(OscReader.Read(packet));
        Assert.Equal("/friture/fft", whole.Address);
        Assert.Equal(1025, (int)whole.Arguments[0]);
    }

    [Fact]
    public async Task Fragments_Oscdump_ParsesEveryFragmentMessage()
    {
        var oscdump = OscdumpPaths.FirstOrDefault(File.Exists);
        if (oscdump is null)
        {
            Prerequisite.Missing("oscdump (Debian liblo-tools) is not installed; run scripts/ci/mosquitto.sh.");
            return;
        }

        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var lines = new List<string>();
        using var dump = Process.Start(new ProcessStartInfo(oscdump, port.ToString(CultureInfo.InvariantCulture)) { RedirectStandardOutput = true, UseShellExecute = false })!;
        dump.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        dump.BeginOutputReadLine();
        try
        {
            await using var protocol = new OscProtocol("127.0.0.1", 0, new OscProtocolOptions { SpectrumPoints = 0, MaxPacketBytes = 2048, Resolution = ResolutionRequest.Full });
            protocol.AddClient("127.0.0.1", port);
            await protocol.StartAsync(TestContext.Current.CancellationToken);

            // oscdump gives no "listening" signal: send until it has printed a whole message's fragments.
            var sequence = 0;
            await Friture.Streaming.TestSupport.Wait.UntilAsync(
                () =>
                {
                    protocol.Broadcast(Messages.Fft(sequence++, bins: 1025), SerializationFormat.Json);
                    lock (lines)
                    {
                        return lines.Count(static l => l.Contains(" 3 ", StringComparison.Ordinal) && l.Contains("/friture/fragment iiiib", StringComparison.Ordinal)) >= 2;
                    }
                },
                "oscdump to print fragment messages");
        }
        finally
        {
            dump.Kill();
        }

        string[] output;
        lock (lines)
        {
            output = [.. lines];
        }

        // id, index 0..2, count 3, total bytes, blob.
        Assert.Contains(output, static l => System.Text.RegularExpressions.Regex.IsMatch(l, @"/friture/fragment iiiib \d+ 2 3 4\d{3}"));
    }

    private static async Task<OscMessage> ReceiveAsync(UdpClient receiver)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var datagram = await receiver.ReceiveAsync(timeout.Token);
        Assert.True(datagram.Buffer.Length <= 1024, $"{datagram.Buffer.Length} bytes");
        return Assert.IsType<OscMessage>(OscReader.Read(datagram.Buffer));
    }

    private static ScopeData Scope(int channels, int points)
    {
        var random = new Random(3);
        return new ScopeData
        {
            Times = [.. Enumerable.Range(0, points).Select(i => i / 192_000f)],
            Samples = [.. Enumerable.Range(0, channels).Select(_ => ImmutableArray.Create(Enumerable.Range(0, points).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()))],
            ChannelLabels = [.. Enumerable.Range(1, channels).Select(c => $"ch{c}")],
            WindowSeconds = points / 192_000.0,
        };
    }

    private static async Task<Receiver> StartReceiverAsync(int count)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "osc_receiver.py"));
        start.ArgumentList.Add("--count");
        start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var first = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        if (first is null || !first.StartsWith("port ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"osc_receiver.py did not start: {first} {await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)}");
        }

        return new Receiver(process, int.Parse(first[5..], CultureInfo.InvariantCulture));
    }

    private sealed class Receiver(Process process, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public async Task<JsonElement> NextAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                Assert.Fail("osc_receiver.py ended: " + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
            }

            return JsonDocument.Parse(line).RootElement;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None);
            }

            process.Dispose();
        }
    }
}
