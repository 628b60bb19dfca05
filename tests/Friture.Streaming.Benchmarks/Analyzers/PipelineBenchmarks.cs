using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Analyzers.DelayEstimator;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.OctaveSpectrum;
using Friture.Streaming.Analyzers.PitchTracker;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Audio;
using Friture.Streaming.Producers;
using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Benchmarks.Analyzers;

/// <summary>
/// The whole default analysis pipeline on one thread: all seven producers with default options, 48 kHz stereo,
/// 512-frame blocks. Each invocation processes one second of audio (94 blocks, 1.0027 s): ProcessBlock for every
/// producer and block, and ExtractData whenever a result is ready and the producer's default rate limit (the seed's
/// rates, <see cref="RateLimiter.DefaultRates"/>) would grant a token. Real-time factor = 1.0027 s / Mean.
/// The per-producer benchmarks split the baseline's time.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int SampleRate = 48000;
    private const int Frames = 512;
    private const int BlocksPerInvocation = 94;
    private const int SignalSeconds = 8;

    private static readonly AudioFormat Format = new(SampleRate, 2);

    private float[] _signal = null!;
    private Stage[] _all = null!;
    private Stage[] _octave = null!;
    private Stage[] _pitch = null!;
    private Stage[] _delay = null!;
    private Stage[] _fft = null!;
    private Stage[] _levels = null!;
    private Stage[] _spectrogram = null!;
    private Stage[] _scope = null!;
    private long _frame;
    private StreamingApi _api = null!;
    private AudioClock _clock = null!;
    private Consumers.QueueConsumer[] _queues = null!;
    private long _engineFrame;

    [GlobalSetup]
    public void Setup()
    {
        // A 220 Hz harmonic tone plus pink-ish noise on channel 1; channel 2 is channel 1 delayed by 5 ms plus noise.
        var random = new Random(300);
        var total = SignalSeconds * SampleRate;
        var mono = new float[total + 240];
        var lowpassed = 0.0;
        for (var n = 0; n < mono.Length; n++)
        {
            var tone = 0.0;
            for (var k = 1; k <= 6; k++)
            {
                tone += Math.Sin(2 * Math.PI * 220 * k * n / SampleRate) / k;
            }

            lowpassed += 0.1 * (((random.NextDouble() * 2) - 1) - lowpassed);
            mono[n] = (float)((0.2 * tone) + (0.3 * lowpassed));
        }

        _signal = new float[total * 2];
        for (var n = 0; n < total; n++)
        {
            _signal[2 * n] = mono[n + 240];
            _signal[(2 * n) + 1] = mono[n] + (float)(0.01 * ((random.NextDouble() * 2) - 1));
        }

        _all =
        [
            new(new PitchTrackerProducer(), DataType.PitchTracker),
            new(new FftSpectrumProducer(), DataType.FftSpectrum),
            new(new OctaveSpectrumProducer(), DataType.OctaveSpectrum),
            new(new LevelsProducer(), DataType.Levels),
            new(new DelayEstimatorProducer(), DataType.DelayEstimator),
            new(new SpectrogramProducer(), DataType.Spectrogram),
            new(new ScopeProducer(), DataType.Scope),
        ];
        _pitch = [new(new PitchTrackerProducer(), DataType.PitchTracker)];
        _fft = [new(new FftSpectrumProducer(), DataType.FftSpectrum)];
        _octave = [new(new OctaveSpectrumProducer(), DataType.OctaveSpectrum)];
        _levels = [new(new LevelsProducer(), DataType.Levels)];
        _delay = [new(new DelayEstimatorProducer(), DataType.DelayEstimator)];
        _spectrogram = [new(new SpectrogramProducer(), DataType.Spectrogram)];
        _scope = [new(new ScopeProducer(), DataType.Scope)];

        // The same seven behind the engine: a QueueConsumer per type, drained after every block as a worker thread would.
        _clock = new AudioClock();
        _api = new StreamingApi(new StreamingApiOptions { TimeProvider = _clock });
        // The same seven as the baseline (RegisterDefaultProducers also registers loudness, added later; it has its own
        // benchmark, LoudnessBenchmarks), so that this row stays comparable with the baseline and with earlier runs.
        var seven = _all.Select(static s => s.Type).ToArray();
        _queues = new Consumers.QueueConsumer[seven.Length];
        for (var i = 0; i < seven.Length; i++)
        {
            _api.RegisterProducer(BuiltInAnalyzers.Find(seven[i])!.CreateProducer());
            _queues[i] = new Consumers.QueueConsumer(maxQueueSize: 64);
            _api.RegisterConsumer(seven[i], _queues[i]);
        }

        for (var i = 0; i < 5; i++)
        {
            RunEngine();
        }

        // Warm every producer past its first frames (the delay estimator's first frame is 2 s long).
        foreach (var set in new[] { _all, _pitch, _fft, _octave, _levels, _delay, _spectrogram, _scope })
        {
            _frame = 0;
            for (var i = 0; i < 5; i++)
            {
                Run(set);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _api.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "All seven, default options")]
    public int AllSeven() => Run(_all);

    [Benchmark(Description = "All seven through StreamingApi (rate limits, metadata, queues, dequeue)")]
    public int AllSevenThroughEngine() => RunEngine();

    [Benchmark(Description = "PitchTracker (YIN)")]
    public int PitchTracker() => Run(_pitch);

    [Benchmark(Description = "FftSpectrum")]
    public int FftSpectrum() => Run(_fft);

    [Benchmark(Description = "OctaveSpectrum (1/3 octave IIR)")]
    public int OctaveSpectrum() => Run(_octave);

    [Benchmark(Description = "Levels")]
    public int Levels() => Run(_levels);

    [Benchmark(Description = "DelayEstimator (GCC-PHAT)")]
    public int DelayEstimator() => Run(_delay);

    [Benchmark(Description = "Spectrogram")]
    public int Spectrogram() => Run(_spectrogram);

    [Benchmark(Description = "Scope")]
    public int Scope() => Run(_scope);

    private int Run(Stage[] stages)
    {
        var messages = 0;
        var blocksInSignal = _signal.Length / (2 * Frames);
        for (var b = 0; b < BlocksPerInvocation; b++)
        {
            var index = (int)((_frame / Frames) % blocksInSignal);
            var block = new AudioBlock(_signal.AsSpan(index * Frames * 2, Frames * 2), Format, _frame);
            var now = block.EndTime;
            foreach (var stage in stages)
            {
                if (stage.Producer.ProcessBlock(block) && now >= stage.NextToken)
                {
                    // A token bucket at the default rate, burst 1: the engine would call ExtractData now.
                    stage.NextToken = Math.Max(stage.NextToken + stage.Interval, now - stage.Interval);
                    if (stage.Producer.ExtractData() is not null)
                    {
                        messages++;
                    }
                }
            }

            _frame += Frames;
        }

        return messages;
    }

    private int RunEngine()
    {
        var messages = 0;
        var blocksInSignal = _signal.Length / (2 * Frames);
        var blockTicks = TimeSpan.TicksPerSecond * Frames / SampleRate;
        for (var b = 0; b < BlocksPerInvocation; b++)
        {
            var index = (int)((_engineFrame / Frames) % blocksInSignal);
            _clock.Ticks += blockTicks; // the rate limiters' clock follows the audio, as in real time
            _api.ProcessAudioBlock(new AudioBlock(_signal.AsSpan(index * Frames * 2, Frames * 2), Format, _engineFrame));
            foreach (var queue in _queues)
            {
                while (queue.TryGetData(out _))
                {
                    messages++;
                }
            }

            _engineFrame += Frames;
        }

        return messages;
    }

    /// <summary>A clock that advances only with the audio, so rate limits see audio time whatever the benchmark's speed.</summary>
    private sealed class AudioClock : TimeProvider
    {
        private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(Ticks);
    }

    private sealed class Stage(DataProducer producer, DataType type)
    {
        public DataProducer Producer { get; } = producer;

        public DataType Type { get; } = type;

        public double Interval { get; } = 1.0 / RateLimiter.DefaultRates[type];

        public double NextToken { get; set; }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In process: on a shared, loaded machine the separate-process build times out; the work measured is the same.
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        }
    }
}
