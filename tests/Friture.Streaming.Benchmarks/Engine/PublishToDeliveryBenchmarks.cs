using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;

namespace Friture.Streaming.Benchmarks.Engine;

/// <summary>
/// Publish-to-delivery through the engine for 1, 10 and 100 callback consumers: 1000 messages published, then the time
/// until every consumer has handled every message. Baseline: the same fan-out written directly on bounded channels with
/// one reader task per consumer (the floor any engine on Channels can reach).
/// </summary>
[MemoryDiagnoser]
public class PublishToDeliveryBenchmarks
{
    private const int Messages = 1000;
    private static readonly LevelsData Payload = new() { PeakLevelsDb = [-1f, -2f], RmsLevelsDb = [-4f, -5f], ChannelLabels = ["ch1", "ch2"] };

    private StreamingApi _api = null!;
    private Channel<StreamingData>[] _channels = null!;
    private Task[] _readers = null!;
    private long _delivered;
    private TaskCompletionSource _done = null!;
    private long _target;

    [Params(1, 10, 100)]
    public int Consumers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _api = new StreamingApi();
        _api.SetRateLimit(DataType.Levels, 0);
        for (var i = 0; i < Consumers; i++)
        {
            _api.RegisterConsumer(DataType.Levels, new CallbackConsumer(_ => OnDelivered()) { BufferOptions = new() { MaxSize = Messages * 2 } });
        }

        _channels = new Channel<StreamingData>[Consumers];
        _readers = new Task[Consumers];
        for (var i = 0; i < Consumers; i++)
        {
            var channel = Channel.CreateBounded<StreamingData>(new BoundedChannelOptions(Messages * 2) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
            _channels[i] = channel;
            _readers[i] = Task.Run(async () =>
            {
                while (await channel.Reader.WaitToReadAsync())
                {
                    while (channel.Reader.TryRead(out _))
                    {
                        OnDelivered();
                    }
                }
            });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var channel in _channels)
        {
            channel.Writer.TryComplete();
        }

        Task.WaitAll(_readers);
        _api.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task RawChannelFanOut()
    {
        Arm();
        for (var m = 0; m < Messages; m++)
        {
            var data = new StreamingData(new StreamingMetadata { DataType = DataType.Levels, Timestamp = DateTimeOffset.UtcNow, SequenceNumber = m }, Payload);
            foreach (var channel in _channels)
            {
                channel.Writer.TryWrite(data);
            }
        }

        await _done.Task;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task StreamingApiPublish()
    {
        Arm();
        for (var m = 0; m < Messages; m++)
        {
            _api.Publish(DataType.Levels, Payload, "bench");
        }

        await _done.Task;
    }

    private void Arm()
    {
        _delivered = 0;
        _target = (long)Messages * Consumers;
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void OnDelivered()
    {
        if (Interlocked.Increment(ref _delivered) == _target)
        {
            _done.TrySetResult();
        }
    }
}
