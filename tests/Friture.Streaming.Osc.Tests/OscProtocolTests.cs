using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Friture.Streaming.Configuration;
using Friture.Streaming.Osc.Encoding;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Osc.Tests;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class OscProtocolTests
{
    private static readonly string[] OscdumpPaths = ["/usr/bin/oscdump", "/usr/local/bin/oscdump"];
    private static readonly string[] ExpectedAddresses = ["/friture/pitch", "/friture/levels", "/friture/octave", "/friture/fft", "/friture/message"];

    private static string RequireOscdump()
    {
        var path = OscdumpPaths.FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }

        Prerequisite.Missing("oscdump (Debian liblo-tools) is not installed; run scripts/ci/mosquitto.sh.");
        return string.Empty;
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Udp_Bundles_TimeTagIsStreamStartPlusStreamTime()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var protocol = new OscProtocol("127.0.0.1", 0);
        protocol.AddClient("127.0.0.1", ((IPEndPoint)receiver.Client.LocalEndPoint!).Port);
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        protocol.Broadcast(Messages.Pitch(0), SerializationFormat.Json);
        protocol.Broadcast(Messages.Pitch(50), SerializationFormat.Binary);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var first = Assert.IsType<OscBundle>(OscReader.Read((await receiver.ReceiveAsync(timeout.Token)).Buffer));
        var second = Assert.IsType<OscBundle>(OscReader.Read((await receiver.ReceiveAsync(timeout.Token)).Buffer));

        // Anchor = first timestamp - stream_time; message 50 is 1.000 s later on the audio clock, whatever its timestamp.
        var anchor = Messages.Start.AddMilliseconds(3);
        Assert.Equal(anchor, OscTimeTag.ToDateTimeOffset(first.TimeTag));
        Assert.Equal(anchor.AddSeconds(1), OscTimeTag.ToDateTimeOffset(second.TimeTag));
        var message = Assert.IsType<OscMessage>(Assert.Single(second.Elements));
        Assert.Equal("/friture/pitch", message.Address);
        Assert.Equal([440f, 0.75f, "A4", 50, 1, 0], message.Arguments); // sequence 50, stream_time 1.000 s
        await Wait(() => protocol.GetStatistics().MessagesSent == 2, "the statistics");
    }

    [Fact]
    public async Task Udp_Oscdump_DecodesEveryAddressAndTimeTag()
    {
        var oscdump = RequireOscdump();
        var port = FreeUdpPort();
        using var dump = StartOscdump(oscdump, port.ToString(CultureInfo.InvariantCulture), out var lines);
        await using var protocol = new OscProtocol("127.0.0.1", 0, new OscProtocolOptions { SpectrumPoints = 8 });
        protocol.AddClient("localhost", port);
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        // oscdump gives no "listening" signal: send rounds until it has printed each address.
        var round = 0;
        await Wait(
            () =>
            {
                protocol.Broadcast(Messages.Pitch(round), SerializationFormat.Json);
                protocol.Broadcast(Messages.Levels(round), SerializationFormat.Json);
                protocol.Broadcast(Messages.Octave(round), SerializationFormat.Json);
                protocol.Broadcast(Messages.Fft(round), SerializationFormat.Json);
                protocol.SendData("hello");
                round++;
                lock (lines)
                {
                    return ExpectedAddresses.All(a => lines.Any(l => l.Contains(a + " ", StringComparison.Ordinal)));
                }
            },
            "oscdump to print every address");

        string[] output;
        lock (lines)
        {
            output = [.. lines];
        }

        var pitch = output.First(l => l.Contains("/friture/pitch ", StringComparison.Ordinal));
        Assert.Matches("""^[0-9a-f]{8}\.[0-9a-f]{8} /friture/pitch ffsiii 440\.0+ 0\.750*\s+"A4" [0-9]+ [0-9]+ [0-9]+$""", pitch);
        AssertMetadata(pitch, secondsPerMessage: 0.02);
        var levels = output.First(l => l.Contains("/friture/levels ", StringComparison.Ordinal));
        Assert.Matches("""/friture/levels iffffiii 2 -1\.0+ -4\.0+ -2\.0+ -5\.0+ [0-9]+ [0-9]+ [0-9]+$""", levels);
        AssertMetadata(levels, secondsPerMessage: 0.01);
        Assert.Matches("""/friture/octave iffffiii 1 -3\.0+ -10\.0+ -20\.0+ -30\.0+ [0-9]+ [0-9]+ [0-9]+$""", output.First(l => l.Contains("/friture/octave ", StringComparison.Ordinal)));
        AssertMetadata(output.First(l => l.Contains("/friture/octave ", StringComparison.Ordinal)), secondsPerMessage: 0.05);
        Assert.Contains("/friture/fft iffffffffffiii 8 ", output.First(l => l.Contains("/friture/fft ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("/friture/message s \"hello\"", output.First(l => l.Contains("/friture/message ", StringComparison.Ordinal)), StringComparison.Ordinal);

        // The time tag oscdump prints for a bundled message is ours: Start + 3 ms + stream_time.
        var tag = pitch[..17];
        var expected = OscTimeTag.FromDateTimeOffset(Messages.Start.AddMilliseconds(3));
        var parsed = (ulong.Parse(tag[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture) << 32) | ulong.Parse(tag[9..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var offset = OscTimeTag.ToDateTimeOffset(parsed) - OscTimeTag.ToDateTimeOffset(expected);
        Assert.InRange(offset.TotalSeconds, -0.001, (round * 0.02) + 0.001);
    }

    /// <summary>
    /// The last three integers oscdump printed are the metadata: sequence k, and stream_time (k x the test messages'
    /// spacing) as seconds and nanoseconds.
    /// </summary>
    private static void AssertMetadata(string line, double secondsPerMessage)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var sequence = int.Parse(parts[^3], CultureInfo.InvariantCulture);
        var streamTime = int.Parse(parts[^2], CultureInfo.InvariantCulture) + (int.Parse(parts[^1], CultureInfo.InvariantCulture) / 1e9);
        Assert.Equal(sequence * secondsPerMessage, streamTime, 1e-9);
    }

    [Fact]
    public async Task TcpSlip_Oscdump_DecodesMessages()
    {
        var oscdump = RequireOscdump();
        var port = FreeTcpPort();
        using var dump = StartOscdump(oscdump, $"osc.tcp://:{port}", out var lines);
        await using var protocol = new OscProtocol("127.0.0.1", 0, new OscProtocolOptions
        {
            Transport = OscTransport.TcpSlip,
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
        });
        protocol.AddClient("127.0.0.1", port);
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        var round = 0;
        await Wait(
            () =>
            {
                protocol.Broadcast(Messages.Pitch(round++), SerializationFormat.Json);
                lock (lines)
                {
                    return lines.Count(l => l.Contains("/friture/pitch ffsiii 440", StringComparison.Ordinal)) >= 3;
                }
            },
            "oscdump (TCP) to print 3 pitch messages");
    }

    [Fact]
    public async Task TcpSlip_OwnReceiver_FramesDecodeInOrder()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var protocol = new OscProtocol("127.0.0.1", 0, new OscProtocolOptions { Transport = OscTransport.TcpSlip, UseBundles = false });
        protocol.AddClient("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 20; i++)
        {
            protocol.Broadcast(Messages.Levels(i), SerializationFormat.Json);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var client = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = client.GetStream();
        var received = new List<byte>();
        var buffer = new byte[4096];
        var packets = new List<byte[]>();
        while (packets.Count < 21)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            received.AddRange(buffer.AsSpan(0, read));
            if (received[^1] == Slip.End)
            {
                packets = Slip.Decode([.. received]);
            }
        }

        Assert.Equal("/friture/hello", Assert.IsType<OscMessage>(OscReader.Read(packets[0])).Address);
        Assert.All(packets.Skip(1), p => Assert.Equal("/friture/levels", Assert.IsType<OscMessage>(OscReader.Read(p)).Address));
    }

    [Fact]
    public async Task Udp_OversizePacketWithSplittingOff_CountedNotSent()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var protocol = new OscProtocol("127.0.0.1", 0, new OscProtocolOptions { SpectrumPoints = 0, MaxPacketBytes = 1024, SplitOversize = false, Resolution = ResolutionRequest.Full });
        string? error = null;
        protocol.ErrorOccurred += (_, e) => error = e.Message;
        protocol.AddClient("127.0.0.1", ((IPEndPoint)receiver.Client.LocalEndPoint!).Port);
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        protocol.Broadcast(Messages.Fft(0, bins: 4097), SerializationFormat.Json);

        Assert.Equal(1, protocol.GetStatistics().OversizeMessages);
        Assert.Contains("MaxPacketBytes", error, StringComparison.Ordinal);
        Assert.Contains("split_oversize", error, StringComparison.Ordinal);
    }

    private static OscProtocol FromSettings(string json)
    {
        var settings = StreamingSettings.Parse(json, [OscSettings.Kind]);
        // Not started, and kept undisposed so the protocol can be inspected.
        var api = new StreamingApi();
        api.ApplySettings(settings, [OscSettings.Kind]);
        return Assert.IsType<OscProtocol>(Assert.Single(api.Protocols));
    }

    [Fact]
    public void FromSettings_Keys_AreAppliedAndTargetsRegistered()
    {
        var protocol = FromSettings("""
            { "protocols": [ { "kind": "osc", "clients": [ "127.0.0.1:9000", "localhost:9001" ], "options": {
                "address_prefix": "/lab", "transport": "tcp_slip", "bundles": false, "spectrum_points": 0,
                "max_packet_bytes": 1500, "queue_capacity": 8, "reconnect_delay": "00:00:00.200" } } ] }
            """);

        Assert.Equal("/lab/octave", protocol.AddressFor(DataType.OctaveSpectrum));
        Assert.Equal(OscTransport.TcpSlip, protocol.Options.Transport);
        Assert.False(protocol.Options.UseBundles);
        Assert.Equal(0, protocol.Options.SpectrumPoints);
        Assert.Equal(1500, protocol.Options.MaxPacketBytes);
        Assert.Equal(8, protocol.Options.QueueCapacity);
        Assert.Equal(TimeSpan.FromMilliseconds(200), protocol.Options.ReconnectDelay);
        Assert.Equal(2, protocol.GetStatistics().Clients.Length);
    }

    [Fact]
    public void FromSettings_Resolution_IsTextParsedOntoTheOptions()
    {
        var full = FromSettings("""{ "protocols": [ { "kind": "osc", "options": { "resolution": "full" } } ] }""");
        var custom = FromSettings("""{ "protocols": [ { "kind": "osc", "options": { "resolution": "fft_spectrum.points=256, scope=full" } } ] }""");
        var absent = FromSettings("""{ "protocols": [ { "kind": "osc", "options": { "queue_capacity": 8 } } ] }""");

        Assert.Same(ResolutionRequest.Full, full.Options.Resolution);
        Assert.Equal(256, custom.Options.Resolution.FftSpectrum!.Points);
        Assert.Null(custom.Options.Resolution.Scope);
        Assert.Equal(ResolutionRequest.NetworkDefault.Spectrogram, custom.Options.Resolution.Spectrogram);
        Assert.Same(ResolutionRequest.NetworkDefault, absent.Options.Resolution);
    }

    [Theory]
    [InlineData("\"fine\"", "protocols[0].options.resolution is 'fine'; it must be network, full, or keys")]
    [InlineData("\"fft_spectrum.points=1\"", "protocols[0].options.resolution: fft_spectrum.points is 1")]
    [InlineData("{ \"scope\": 5 }", "protocols[0].options.resolution must be a single value")]
    public void FromSettings_BadResolution_NamesTheKey(string value, string expected)
    {
        var error = Assert.Throws<StreamingSettingsException>(() => FromSettings($$"""{ "protocols": [ { "kind": "osc", "options": { "resolution": {{value}} } } ] }"""));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSettings_Invalid_MessagesNameTheKey()
    {
        Assert.Contains("options.transport", Assert.Throws<StreamingSettingsException>(() =>
            FromSettings("""{ "protocols": [ { "kind": "osc", "options": { "transport": "sctp" } } ] }""")).Message, StringComparison.Ordinal);
        Assert.Contains("clients[0]", Assert.Throws<StreamingSettingsException>(() =>
            FromSettings("""{ "protocols": [ { "kind": "osc", "clients": [ "nohost" ] } ] }""")).Message, StringComparison.Ordinal);
        Assert.Contains("options.colour", Assert.Throws<StreamingSettingsException>(() =>
            FromSettings("""{ "protocols": [ { "kind": "osc", "options": { "colour": "x" } } ] }""")).Message, StringComparison.Ordinal);
        Assert.Contains("SpectrumPoints is 2000", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new OscProtocol(options: new OscProtocolOptions { SpectrumPoints = 2000 })).Message, StringComparison.Ordinal);
        Assert.Contains("AddressPrefix", Assert.Throws<ArgumentException>(() =>
            new OscProtocol(options: new OscProtocolOptions { AddressPrefix = "friture" })).Message, StringComparison.Ordinal);
    }

    private static KillOnDispose StartOscdump(string oscdump, string endpoint, out List<string> lines)
    {
        var info = new ProcessStartInfo(oscdump) { ArgumentList = { "-L", endpoint }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(info)!;
        var collected = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (collected)
                {
                    collected.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lines = collected;
        return new KillOnDispose(process);
    }

    private static async Task Wait(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after 30 s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    private sealed class KillOnDispose(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
