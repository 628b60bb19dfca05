using System.Collections.Concurrent;
using Friture.Streaming.Audio;
using Friture.Streaming.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Engine;

/// <summary>
/// Each audio overrun is logged once, under one event id (2002), at most once per second of the engine's clock; the
/// overruns in between are counted into the next report, and <c>ErrorOccurred</c> follows the same throttle.
/// </summary>
public sealed class OverrunReportTests
{
    [Fact]
    public async Task Overruns_ManyWithinOneSecond_OneLogLineThenOneCountingTheRest()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var collector = new FakeLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(collector).SetMinimumLevel(LogLevel.Trace));
        var source = new GappySource();
        await using var api = new StreamingApi(new StreamingApiOptions { LoggerFactory = factory, TimeProvider = time, AudioSource = source, BlockSize = 256 });
        var errors = new ConcurrentQueue<StreamingErrorEventArgs>();
        api.ErrorOccurred += (_, e) => errors.Enqueue(e);
        await api.StartStreamingAsync(TestContext.Current.CancellationToken);

        // A first block starts the clock; then ten overruns of 100 frames within the same second, and one more a second later.
        source.Push(gap: 0);
        for (var i = 0; i < 10; i++)
        {
            source.Push(gap: 100);
        }

        await Wait.UntilAsync(() => api.GetStatistics().Audio?.Overruns == 10, "ten overruns counted");
        time.Advance(TimeSpan.FromSeconds(1.5));
        source.Push(gap: 100);
        await Wait.UntilAsync(() => api.GetStatistics().Audio?.Overruns == 11, "the eleventh overrun");
        await Wait.UntilAsync(() => errors.Count >= 2, "two ErrorOccurred events");
        await api.StopStreamingAsync();

        var overrunLines = collector.Collector.GetSnapshot().Where(r => r.Message.Contains("overrun", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, overrunLines.Count);
        Assert.All(overrunLines, r => Assert.Equal(2002, r.Id.Id));
        Assert.Contains("100 frames lost in 1 overrun(s)", overrunLines[0].Message, StringComparison.Ordinal);
        Assert.Contains("1000 frames lost in 10 overrun(s)", overrunLines[1].Message, StringComparison.Ordinal);
        Assert.Equal(2, errors.Count(e => e.ErrorType == StreamingErrorType.AudioOverrun));
    }

    /// <summary>A source that delivers a block (preceded by a gap in its frame index) each time the test pushes one.</summary>
    private sealed class GappySource : IAudioSource
    {
        private readonly BlockingCollection<int> _gaps = [];
        private long _next;

        public string Name => "gappy";

        public AudioFormat Format { get; } = new(48000, 1);

        public void Push(int gap) => _gaps.Add(gap);

        public void Start()
        {
        }

        public AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken)
        {
            int gap;
            try
            {
                gap = _gaps.Take(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return new AudioReadResult(0, _next, false);
            }

            // The first block starts the clock; every later one arrives after a gap.
            var first = _next == 0 ? 0 : _next + gap;
            destination.Clear();
            _next = first + destination.Length;
            return new AudioReadResult(destination.Length, first, false);
        }

        public void Stop()
        {
        }

        public void Dispose() => _gaps.Dispose();
    }
}
