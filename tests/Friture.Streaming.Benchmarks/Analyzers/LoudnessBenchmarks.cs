using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.Loudness;
using Friture.Streaming.Audio;
using Friture.Streaming.Dsp.Loudness;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Benchmarks.Analyzers;

/// <summary>
/// The loudness producer against the levels producer (baseline, same run): one second of 48 kHz stereo music-like
/// noise in 512-frame blocks per invocation (94 blocks, 1.0027 s), ProcessBlock only (the 10 Hz ExtractData is
/// negligible). The true-peak interpolator alone shows what the 4x oversampling costs. Real-time factor = 1.0027 s / Mean.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class LoudnessBenchmarks
{
    private const int SampleRate = 48000;
    private const int Frames = 512;
    private const int Blocks = 94;
    private static readonly AudioFormat Format = new(SampleRate, 2);
    private float[] _signal = null!;
    private DataProducer _levels = null!;
    private DataProducer _loudness = null!;
    private TruePeakInterpolator _interpolator = null!;
    private long _frame;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _signal = new float[Blocks * Frames * 2];
        var low = 0.0;
        for (var i = 0; i < _signal.Length; i++)
        {
            low += 0.05 * (((random.NextDouble() * 2) - 1) - low);
            _signal[i] = (float)((0.3 * low) + (0.2 * Math.Sin(2 * Math.PI * 220 * (i / 2) / SampleRate)));
        }

        _levels = new LevelsProducer();
        _loudness = new LoudnessProducer();
        _interpolator = new TruePeakInterpolator(SampleRate, 2, Frames);
        Run(_levels);
        Run(_loudness);
    }

    [Benchmark(Baseline = true)]
    public void Levels() => Run(_levels);

    [Benchmark]
    public void Loudness() => Run(_loudness);

    [Benchmark]
    public float TruePeakOnly()
    {
        var peak = 0f;
        for (var b = 0; b < Blocks; b++)
        {
            var block = _signal.AsSpan(b * Frames * 2, Frames * 2);
            peak = Math.Max(peak, _interpolator.Process(block, 0, 2, Frames));
            peak = Math.Max(peak, _interpolator.Process(block, 1, 2, Frames));
        }

        return peak;
    }

    private void Run(DataProducer producer)
    {
        for (var b = 0; b < Blocks; b++)
        {
            producer.ProcessBlock(new AudioBlock(_signal.AsSpan(b * Frames * 2, Frames * 2), Format, _frame));
            _frame += Frames;
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }
}
