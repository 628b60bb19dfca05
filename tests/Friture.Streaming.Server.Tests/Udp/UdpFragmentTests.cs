using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tests.Support;
using Friture.Streaming.Server.Udp;

namespace Friture.Streaming.Server.Tests.Udp;

/// <summary>
/// Messages over the datagram limit are split into FSF1 fragments (docs/wire-format.md, "UDP fragments") and
/// reassembled by udp_receiver.py, a receiver written from the documentation alone, run as a separate process.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class UdpFragmentTests
{
    [Fact]
    public async Task FullResolution_192kHz8ChannelScopeAndFft16384_ArriveWholeThroughAnIndependentReceiver()
    {
        // 50 ms at 192 kHz x 8 channels (the CLI's largest input): 9,600 points per channel.
        var scope = new StreamingData(TestData.Metadata(DataType.Scope, 41), Scope(channels: 8, points: 9600));
        var spectrum = TestData.Spectrum(42, 8193); // FFT 16384, the CLI's largest --fft-size.
        var levels = TestData.Levels(43);
        var json = StreamingJson.SerializeToUtf8Bytes(scope);
        var binary = BinaryFrame.ToArray(scope);
        Assert.True(json.Length > 65_507 * 5, $"the JSON scope is {json.Length} bytes: several datagrams");
        Assert.True(binary.Length > 65_507, $"the binary scope is {binary.Length} bytes: over one datagram");

        await using var receiver = await PythonReceiver.StartAsync("--count", "4");
        await using var protocol = new UdpProtocol("127.0.0.1", 0, new UdpProtocolOptions { Resolution = ResolutionRequest.Full });
        protocol.AddClient("127.0.0.1", receiver.Port);
        await protocol.StartAsync(Wait.Token());

        // One at a time, so a burst never overflows the receiver's socket buffer on a loaded machine.
        protocol.Broadcast(scope, SerializationFormat.Json);
        var jsonScope = await receiver.NextAsync();
        protocol.Broadcast(scope, SerializationFormat.Binary);
        var binaryScope = await receiver.NextAsync();
        protocol.Broadcast(spectrum, SerializationFormat.Binary);
        var binarySpectrum = await receiver.NextAsync();
        protocol.Broadcast(levels, SerializationFormat.Json);
        var whole = await receiver.NextAsync();

        Assert.Equal(DatagramFragments.CountFor(json.Length, 65_507), jsonScope.GetProperty("fragments").GetInt32());
        Assert.Equal(DatagramFragments.CountFor(binary.Length, 65_507), binaryScope.GetProperty("fragments").GetInt32());
        Assert.Equal(1, whole.GetProperty("fragments").GetInt32());
        foreach (var decoded in new[] { jsonScope, binaryScope })
        {
            var data = decoded.GetProperty("envelope").GetProperty("data");
            Assert.Equal(41, decoded.GetProperty("envelope").GetProperty("metadata").GetProperty("sequence_number").GetInt64());
            var samples = data.GetProperty("samples");
            Assert.Equal(8, samples.GetArrayLength());
            var sent = (ScopeData)scope.Data;
            for (var c = 0; c < 8; c++)
            {
                Assert.Equal(sent.Samples[c], Floats(samples[c]));
            }

            Assert.Equal(sent.Times, Floats(data.GetProperty("times")));
        }

        var fft = binarySpectrum.GetProperty("envelope").GetProperty("data");
        Assert.Equal(((FftSpectrumData)spectrum.Data).MagnitudesDb, Floats(fft.GetProperty("magnitudes_db")));
        Assert.Equal(43, whole.GetProperty("envelope").GetProperty("metadata").GetProperty("sequence_number").GetInt64());
        Assert.Equal(0, protocol.GetStatistics().OversizeMessages);
    }

    [Fact]
    public async Task SmallDatagramLimit_SplitsEvenALevelsMessage_AndEveryFragmentHasTheDocumentedHeader()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var protocol = new UdpProtocol("127.0.0.1", 0, new UdpProtocolOptions { MaxDatagramBytes = 512, Resolution = ResolutionRequest.Full });
        protocol.AddClient("127.0.0.1", ((IPEndPoint)receiver.Client.LocalEndPoint!).Port);
        await protocol.StartAsync(Wait.Token());
        var sent = TestData.Spectrum(7, 257);
        var expected = StreamingJson.SerializeToUtf8Bytes(sent);
        var count = (expected.Length + 495) / 496;

        protocol.Broadcast(sent, SerializationFormat.Json);

        var pieces = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var datagram = (await receiver.ReceiveAsync(Wait.Token())).Buffer;
            Assert.True(datagram.Length <= 512);
            Assert.Equal("FSF1"u8.ToArray(), datagram[..4]);
            Assert.Equal(0u, BitConverter.ToUInt32(datagram, 4)); // the client's first message id
            Assert.Equal(i, BitConverter.ToUInt16(datagram, 8));
            Assert.Equal(count, BitConverter.ToUInt16(datagram, 10));
            Assert.Equal((uint)expected.Length, BitConverter.ToUInt32(datagram, 12));
            pieces.Add(datagram[16..]);
        }

        Assert.Equal(expected, pieces.SelectMany(static p => p).ToArray());
    }

    [Fact]
    public async Task SplittingOff_OversizeIsCountedAndReportedOnceWithTheFix()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var protocol = new UdpProtocol("127.0.0.1", 0, new UdpProtocolOptions { MaxDatagramBytes = 4096, SplitOversize = false, Resolution = ResolutionRequest.Full });
        protocol.AddClient("127.0.0.1", ((IPEndPoint)receiver.Client.LocalEndPoint!).Port);
        var errors = new List<string>();
        protocol.ErrorOccurred += (_, e) => errors.Add(e.Message);
        await protocol.StartAsync(Wait.Token());

        protocol.Broadcast(TestData.Spectrum(1, 1025), SerializationFormat.Json);
        protocol.Broadcast(TestData.Spectrum(2, 1025), SerializationFormat.Json);
        protocol.Broadcast(TestData.Levels(3), SerializationFormat.Json);

        var datagram = await receiver.ReceiveAsync(Wait.Token());
        Assert.Equal(3, StreamingJson.Deserialize(datagram.Buffer).Metadata.SequenceNumber);
        Assert.Equal(2, protocol.GetStatistics().OversizeMessages);
        Assert.Contains("split_oversize", Assert.Single(errors), StringComparison.Ordinal);
    }

    internal static ScopeData Scope(int channels, int points)
    {
        var random = new Random(5);
        return new ScopeData
        {
            Times = [.. Enumerable.Range(0, points).Select(i => (i - (points / 2)) / 192_000f)],
            Samples = [.. Enumerable.Range(0, channels).Select(_ => System.Collections.Immutable.ImmutableArray.Create(
                Enumerable.Range(0, points).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()))],
            ChannelLabels = [.. Enumerable.Range(1, channels).Select(c => $"ch{c}")],
            WindowSeconds = points / 192_000.0,
            Triggered = false,
        };
    }

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(static v => (float)v.GetDouble())];

    /// <summary>udp_receiver.py as a child process: its port from the first line, then one JSON line per message.</summary>
    internal sealed class PythonReceiver : IAsyncDisposable
    {
        private readonly Process _process;

        private PythonReceiver(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static async Task<PythonReceiver> StartAsync(params string[] arguments)
        {
            var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
            var start = new ProcessStartInfo(python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "udp_receiver.py"));
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
            var first = await process.StandardOutput.ReadLineAsync(Wait.Token());
            if (first is null || !first.StartsWith("port ", StringComparison.Ordinal))
            {
                var error = await process.StandardError.ReadToEndAsync(Wait.Token());
                throw new InvalidOperationException($"udp_receiver.py did not start (scripts/ci/python-numpy.sh installs python3-numpy): {first} {error}");
            }

            return new PythonReceiver(process, int.Parse(first[5..], System.Globalization.CultureInfo.InvariantCulture));
        }

        public async Task<JsonElement> NextAsync()
        {
            var line = await _process.StandardOutput.ReadLineAsync(Wait.Token());
            if (line is null)
            {
                var error = await _process.StandardError.ReadToEndAsync(Wait.Token());
                Assert.Fail($"udp_receiver.py ended without a message: {error}");
            }

            return JsonDocument.Parse(line).RootElement;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            _process.Dispose();
        }
    }
}
