using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Audio;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Benchmarks.Dsp;

/// <summary>
/// Cost of one 512-frame, 48 kHz stereo block (10.67 ms of audio) through each analyzer's ProcessBlock with default
/// options; real-time factor = 10.67 ms / mean. Payload building (ExtractData) is rate-limited by the engine and is
/// measured separately.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class SpectrumAnalyzerBenchmarks
{
    private const int Frames = 512;
    private static readonly AudioFormat Format = new(48_000, 2);
    private readonly float[] _samples = new float[Frames * 2];
    private FftSpectrumProducer _fft = null!;
    private SpectrogramProducer _spectrogram = null!;
    private ScopeProducer _scope = null!;
    private LevelsProducer _levels = null!;
    private LevelsProducer _levelsA = null!;
    private FftSpectrumProducer _sharedFft = null!;
    private SpectrogramProducer _sharedSpectrogram = null!;
    private long _frame;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < _samples.Length; i++)
        {
            _samples[i] = (float)((random.NextDouble() * 2) - 1) * 0.5f;
        }

        _fft = new FftSpectrumProducer();
        _spectrogram = new SpectrogramProducer();
        _scope = new ScopeProducer();
        _levels = new LevelsProducer();
        _levelsA = new LevelsProducer(new LevelsOptions { Weighting = FrequencyWeighting.A });
        var frames = new SpectrumFrameSource(4096, 0.75, Streaming.Dsp.Windows.WindowType.Hann);
        _sharedFft = new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096 }, frames);
        _sharedSpectrogram = new SpectrogramProducer(new SpectrogramOptions(), frames);
        foreach (DataProducer p in new DataProducer[] { _fft, _spectrogram, _scope, _levels, _levelsA, _sharedFft, _sharedSpectrogram })
        {
            p.Initialize(Format);
        }

        for (var i = 0; i < 40; i++)
        {
            AllFour();
            SharedPair();
        }
    }

    [Benchmark(Baseline = true, Description = "FftSpectrum 8192/0.75 ProcessBlock")]
    public bool FftSpectrum() => Feed(_fft);

    [Benchmark(Description = "Spectrogram 4096/0.75 ProcessBlock")]
    public bool Spectrogram() => Feed(_spectrogram);

    [Benchmark(Description = "Scope 50 ms ProcessBlock")]
    public bool Scope() => Feed(_scope);

    [Benchmark(Description = "Levels Z ProcessBlock")]
    public bool Levels() => Feed(_levels);

    [Benchmark(Description = "Levels A ProcessBlock")]
    public bool LevelsAWeighted() => Feed(_levelsA);

    [Benchmark(Description = "All four (defaults)")]
    public bool AllFour()
    {
        var block = new AudioBlock(_samples, Format, _frame);
        _frame += Frames;
        return _fft.ProcessBlock(block) & _spectrogram.ProcessBlock(block) & _scope.ProcessBlock(block) & _levels.ProcessBlock(block);
    }

    [Benchmark(Description = "FftSpectrum + Spectrogram 4096 shared frames")]
    public bool SharedPair()
    {
        var block = new AudioBlock(_samples, Format, _frame);
        _frame += Frames;
        return _sharedFft.ProcessBlock(block) & _sharedSpectrogram.ProcessBlock(block);
    }

    [Benchmark(Description = "FftSpectrum 8192 ExtractData (payload)")]
    public object? FftSpectrumExtract() => _fft.ExtractData();

    private bool Feed(DataProducer producer)
    {
        var block = new AudioBlock(_samples, Format, _frame);
        _frame += Frames;
        return producer.ProcessBlock(block);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }
}
