using System.Net.Sockets;
using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Benchmarks.Network;

/// <summary>
/// End-to-end latency of one message: <c>StreamingApi.Publish</c> until an independent client on loopback has the
/// whole message (ClientWebSocket, or a TcpClient reading one length-prefixed frame). One operation = one message, so
/// the P50/P95/P99 columns are latency percentiles. Baseline: the same client reading a frame the server writes
/// directly on the socket (TCP, no engine, no queue), the floor of the loopback round.
/// </summary>
[Config(typeof(LatencyConfig))]
public class EndToEndLatencyBenchmarks
{
    private static readonly LevelsData Payload = new() { PeakLevelsDb = [-1f, -2f], RmsLevelsDb = [-4f, -5f], ChannelLabels = ["ch1", "ch2"] };
    private static readonly PitchData Pitch = new() { FrequencyHz = 440, Confidence = 0.9, NoteName = "A4", AmplitudeDb = -20 };

    private readonly byte[] _buffer = new byte[64 * 1024];
    private StreamingApi _api = null!;
    private WebSocketProtocol _ws = null!;
    private TcpProtocol _tcp = null!;
    private ClientWebSocket _wsClient = null!;
    private TcpClient _tcpClient = null!;
    private NetworkStream _tcpStream = null!;
    private TcpListener _rawListener = null!;
    private Socket _rawServer = null!;
    private TcpClient _rawClient = null!;
    private NetworkStream _rawStream = null!;
    private byte[] _rawFrame = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _wsClient.Dispose();
        _tcpClient.Dispose();
        _rawClient.Dispose();
        _rawServer.Dispose();
        _rawListener.Stop();
        _api.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "raw socket write -> TcpClient")]
    public async Task RawTcpFloor()
    {
        _rawServer.Send(_rawFrame);
        await ReadFrameAsync(_rawStream);
    }

    [Benchmark(Description = "Publish -> WebSocket client")]
    public async Task WebSocket()
    {
        _api.Publish(DataType.Levels, Payload, "ws");
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _wsClient.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None);
        }
        while (!result.EndOfMessage);
    }

    [Benchmark(Description = "Publish -> TCP client")]
    public async Task Tcp()
    {
        _api.Publish(DataType.PitchTracker, Pitch, "tcp");
        await ReadFrameAsync(_tcpStream);
    }

    private async Task ReadFrameAsync(NetworkStream stream)
    {
        var length = 0;
        while (true)
        {
            await stream.ReadExactlyAsync(_buffer.AsMemory(0, 1));
            if (_buffer[0] == (byte)'\n')
            {
                break;
            }

            length = (length * 10) + (_buffer[0] - '0');
        }

        await stream.ReadExactlyAsync(_buffer.AsMemory(0, length));
    }

    private async Task SetupAsync()
    {
        _api = new StreamingApi();
        _api.SetRateLimit(DataType.Levels, 0);
        _api.SetRateLimit(DataType.PitchTracker, 0);
        _ws = new WebSocketProtocol("127.0.0.1", 0);
        _tcp = new TcpProtocol("127.0.0.1", 0);
        _api.AddProtocol(_ws);
        _api.AddProtocol(_tcp);

        // One data type per protocol: each benchmark's message reaches only its own client.
        _api.RegisterConsumer(DataType.Levels, new NetworkConsumer(_ws));
        _api.RegisterConsumer(DataType.PitchTracker, new NetworkConsumer(_tcp));
        await _api.StartStreamingAsync();
        _wsClient = new ClientWebSocket();
        await _wsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{_ws.Port}/"), CancellationToken.None);
        _tcpClient = new TcpClient();
        await _tcpClient.ConnectAsync("127.0.0.1", _tcp.Port);
        _tcpClient.NoDelay = true;
        _tcpStream = _tcpClient.GetStream();
        while (_ws.GetStatistics().ConnectedClients < 1 || _tcp.GetStatistics().ConnectedClients < 1)
        {
            await Task.Delay(10);
        }

        _rawListener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        _rawListener.Start();
        _rawClient = new TcpClient();
        await _rawClient.ConnectAsync("127.0.0.1", ((System.Net.IPEndPoint)_rawListener.LocalEndpoint).Port);
        _rawClient.NoDelay = true;
        _rawServer = await _rawListener.AcceptSocketAsync();
        _rawServer.NoDelay = true;
        _rawStream = _rawClient.GetStream();
        var json = Serialization.StreamingJson.SerializeToUtf8Bytes(new StreamingData(
            new StreamingMetadata { DataType = DataType.Levels, Timestamp = DateTimeOffset.UnixEpoch }, Payload));
        _rawFrame = [.. System.Text.Encoding.ASCII.GetBytes($"{json.Length}\n"), .. json];
    }

    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Throughput)
                .WithWarmupCount(20)
                .WithIterationCount(300)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithLaunchCount(1)
                .WithToolchain(InProcessEmitToolchain.Instance));
            // In process: sockets and Kestrel behave the same, and the machine is too loaded to build a separate exe in time.
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new P99Column());
            WithOptions(ConfigOptions.DisableOptimizationsValidator);
        }
    }
}
