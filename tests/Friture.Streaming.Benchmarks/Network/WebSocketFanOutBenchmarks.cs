using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Server.Tcp;
using Friture.Streaming.Server.WebSockets;

namespace Friture.Streaming.Benchmarks.Network;

/// <summary>
/// Fan-out: 1,000 levels messages published through <c>StreamingApi</c> and a <c>NetworkConsumer</c>, until each of
/// 1, 10 or 100 independent loopback clients has received all of them. Per-operation time is per published message
/// (OperationsPerInvoke = 1,000); messages delivered per second = clients x 1e9 / (ns per operation). Baseline: the
/// same fan-out over the TCP protocol (the socket floor: no WebSocket framing or masking).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(FanOutConfig))]
public class WebSocketFanOutBenchmarks
{
    private const int Messages = 1000;
    private static readonly LevelsData Payload = new() { PeakLevelsDb = [-1f, -2f], RmsLevelsDb = [-4f, -5f], ChannelLabels = ["ch1", "ch2"] };

    private StreamingApi _api = null!;
    private WebSocketProtocol _ws = null!;
    private TcpProtocol _tcp = null!;
    private readonly List<ClientWebSocket> _wsClients = [];
    private readonly List<System.Net.Sockets.TcpClient> _tcpClients = [];
    private readonly List<Task> _readers = [];
    private long _received;
    private long _target;
    private TaskCompletionSource _done = null!;
    private readonly CancellationTokenSource _stop = new();

    [Params(1, 10, 100)]
    public int Clients { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        foreach (var client in _wsClients)
        {
            client.Abort();
            client.Dispose();
        }

        foreach (var client in _tcpClients)
        {
            client.Dispose();
        }

        _api.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "TCP fan-out")]
    public Task TcpFanOut() => PublishAndWaitAsync(DataType.PitchTracker);

    [Benchmark(OperationsPerInvoke = Messages, Description = "WebSocket fan-out")]
    public Task WebSocketFanOut() => PublishAndWaitAsync(DataType.Levels);

    private async Task PublishAndWaitAsync(DataType type)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _received, 0);
        Volatile.Write(ref _target, (long)Messages * Clients);
        StreamingPayload payload = type == DataType.Levels ? Payload : new PitchData { FrequencyHz = 440, Confidence = 0.9, NoteName = "A4" };
        for (var i = 0; i < Messages; i++)
        {
            _api.Publish(type, payload, "bench");
        }

        await _done.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private void OnReceived()
    {
        if (Interlocked.Increment(ref _received) == Volatile.Read(ref _target))
        {
            _done.TrySetResult();
        }
    }

    private async Task SetupAsync()
    {
        _api = new StreamingApi();
        _api.SetRateLimit(DataType.Levels, 0);
        _api.SetRateLimit(DataType.PitchTracker, 0);
        var options = new WebSocketProtocolOptions { QueueCapacity = Messages * 2, MaxConnections = 128, AdaptiveRate = false };
        _ws = new WebSocketProtocol("127.0.0.1", 0, options);
        _tcp = new TcpProtocol("127.0.0.1", 0, new TcpProtocolOptions { QueueCapacity = Messages * 2, MaxConnections = 128, AdaptiveRate = false });
        _api.AddProtocol(_ws);
        _api.AddProtocol(_tcp);
        _api.RegisterConsumer(DataType.Levels, new NetworkConsumer(_ws) { BufferOptions = new() { MaxSize = Messages * 2 } });
        _api.RegisterConsumer(DataType.PitchTracker, new NetworkConsumer(_tcp) { BufferOptions = new() { MaxSize = Messages * 2 } });
        await _api.StartStreamingAsync();
        for (var i = 0; i < Clients; i++)
        {
            var ws = new ClientWebSocket();
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{_ws.Port}/"), CancellationToken.None);
            _wsClients.Add(ws);
            _readers.Add(ReadWebSocketAsync(ws));
            var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync("127.0.0.1", _tcp.Port);
            _tcpClients.Add(tcp);
            _readers.Add(ReadTcpAsync(tcp.GetStream()));
        }

        while (_ws.GetStatistics().ConnectedClients < Clients || _tcp.GetStatistics().ConnectedClients < Clients)
        {
            await Task.Delay(10);
        }
    }

    private async Task ReadWebSocketAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (result.EndOfMessage)
                {
                    OnReceived();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private async Task ReadTcpAsync(System.Net.Sockets.NetworkStream stream)
    {
        // Counts frames by parsing lengths over a buffered stream (no per-message allocation).
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(end), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                end += read;
                while (true)
                {
                    var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                    if (newline < 0)
                    {
                        break;
                    }

                    var length = 0;
                    for (var i = start; i < newline; i++)
                    {
                        length = (length * 10) + (buffer[i] - '0');
                    }

                    if (end - (newline + 1) < length)
                    {
                        break;
                    }

                    start = newline + 1 + length;
                    OnReceived();
                }

                Array.Copy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }

    private sealed class FanOutConfig : ManualConfig
    {
        public FanOutConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }
}
