using Friture.Streaming.Consumers;
using Friture.Streaming.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Consumers;

public sealed class QueueConsumerTests
{
    [Fact]
    public void GetData_EmptyQueue_ReturnsNullAfterTimeout()
    {
        var queue = new QueueConsumer();
        Assert.Null(queue.GetData(TimeSpan.FromMilliseconds(20)));
        Assert.Null(queue.GetData(0.0));
    }

    [Fact]
    public async Task GetData_WorkerThread_ReceivesWhatIsPublished()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var queue = new QueueConsumer(maxQueueSize: 1000);
        api.RegisterConsumer(DataType.Levels, queue);
        var received = new List<long>();
        var worker = new Thread(() =>
        {
            while (received.Count < 100)
            {
                var data = queue.GetData(TimeSpan.FromSeconds(30));
                if (data is null)
                {
                    return;
                }

                received.Add(data.Metadata.SequenceNumber);
            }
        });
        worker.Start();
        for (var i = 0; i < 100; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        Assert.True(worker.Join(TimeSpan.FromSeconds(60)));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), received);
        Assert.Equal(100, queue.GetStatistics().Delivered);
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_EndsEnumeration()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var queue = new QueueConsumer();
        api.RegisterConsumer(DataType.Levels, queue);
        for (var i = 0; i < 5; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var data in queue.ReadAllAsync(cts.Token))
            {
                seen++;
                if (seen == 5)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.Equal(5, seen);
    }

    [Fact]
    public async Task GetDataAsync_WaitsForNextMessage()
    {
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        var queue = new QueueConsumer();
        api.RegisterConsumer(DataType.Levels, queue);
        var pending = queue.GetDataAsync().AsTask();
        Assert.False(pending.IsCompleted);
        api.Publish(DataType.Levels, Blocks.Levels(1));
        var data = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DataType.Levels, data.DataType);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(2_000_000)]
    public void Constructor_InvalidSize_MessageNamesOption(int size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new QueueConsumer(size));
        Assert.Contains($"max_queue_size is {size}", ex.Message, StringComparison.Ordinal);
    }
}
