using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Friture.Streaming.Audio;

namespace Friture.Streaming.Benchmarks.Audio;

/// <summary>
/// How many times faster than real time a WAV file is read from disk and framed into 512-frame float32 blocks by
/// <see cref="WavFileSource"/> (as fast as possible). The file holds 10 s of 48 kHz stereo, so the real-time factor is
/// 10 s divided by the mean. Baseline: reading the same file's bytes with no decoding or framing.
/// </summary>
/// <remarks>In process: on the shared 2-core build machine, generating and building a separate benchmark project times out.</remarks>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class WavReadBenchmarks
{
    private const int Seconds = 10;
    private const int SampleRate = 48_000;
    private const int Channels = 2;
    private const int BlockFrames = 512;

    private readonly float[] _block = new float[BlockFrames * Channels];
    private readonly byte[] _bytes = new byte[64 * 1024];
    private string _path = string.Empty;

    /// <summary>Sample encoding of the file.</summary>
    [Params(WavSampleFormat.Pcm16, WavSampleFormat.Pcm24, WavSampleFormat.IeeeFloat32)]
    public WavSampleFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"friture-bench-{Format}.wav");
        using var generator = new SignalGeneratorSource(new SignalGeneratorOptions
        {
            Waveform = SignalWaveform.PinkNoise, Channels = Channels, SampleRate = SampleRate, RealTime = false, Seed = 1,
        });
        generator.Start();
        using var writer = new WavWriter(_path, generator.Format, Format);
        for (var i = 0; i < Seconds * SampleRate / BlockFrames; i++)
        {
            generator.Read(_block, CancellationToken.None);
            writer.Write(_block);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    /// <summary>Bytes only: open the file and read it through, no decoding.</summary>
    [Benchmark(Baseline = true)]
    public long ReadBytes()
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long total = 0;
        int n;
        while ((n = stream.Read(_bytes)) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <summary>The source: open, parse the header, decode to float32 and frame into 512-frame blocks to the end.</summary>
    [Benchmark]
    public long ReadAndFrame()
    {
        using var source = new WavFileSource(_path, new WavFileSourceOptions { RealTime = false });
        source.Start();
        long frames = 0;
        while (true)
        {
            var r = source.Read(_block, CancellationToken.None);
            frames += r.Frames;
            if (r.EndOfStream)
            {
                return frames;
            }
        }
    }

    /// <summary>One short in-process job.</summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
    }
}
