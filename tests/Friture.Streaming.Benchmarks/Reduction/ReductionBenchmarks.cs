using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.OctaveSpectrum;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Producers;
using Friture.Streaming.Reduction;
using Friture.Streaming.Reduction.Legacy;

namespace Friture.Streaming.Benchmarks.Reduction;

/// <summary>
/// One reduction at the network default resolution (<see cref="ResolutionRequest.NetworkDefault"/>) of each payload
/// type as the CLI's producers make it at their defaults from 48 kHz stereo (a 1 kHz sine plus noise): fft_spectrum
/// 8192 points (4,097 bins, with linear magnitudes), scope 50 ms (2 x 2,400 samples), spectrogram column (512 log bins),
/// octave_spectrum (1/3 octave). The reducer before the rewrite (<see cref="LegacyPayloadReducer"/>, the baseline) and
/// the current one run in the same job, on the same payload; read the Ratio and Allocated columns. The two
/// <c>Reduce(new message)</c> rows add what the server adds per message: a new <see cref="StreamingData"/> and the
/// per-message cache of reduced messages.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Friture.Streaming.Benchmarks -- --filter '*ReductionBenchmarks*'</c>.
/// Both reducers keep their plan caches warm across iterations, as they do in the server (producers reuse their axis,
/// times and band arrays from message to message).
/// </remarks>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class ReductionBenchmarks
{
    private StreamingPayload _payload = null!;
    private StreamingMetadata _metadata = null!;

    /// <summary>Which payload type is reduced.</summary>
    [Params("fft_spectrum", "scope", "spectrogram", "octave_spectrum")]
    public string Type { get; set; } = "fft_spectrum";

    [GlobalSetup]
    public void Setup()
    {
        DataProducer producer = Type switch
        {
            "fft_spectrum" => new FftSpectrumProducer(),
            "scope" => new ScopeProducer(),
            "spectrogram" => new SpectrogramProducer(),
            _ => new OctaveSpectrumProducer(),
        };
        _payload = Produce(producer);
        _metadata = new StreamingMetadata { DataType = producer.GetDataType(), Timestamp = DateTimeOffset.UnixEpoch };
        var reduced = PayloadReducer.ReducePayload(_payload, ResolutionRequest.NetworkDefault);
        if (ReferenceEquals(reduced, _payload))
        {
            throw new InvalidOperationException($"{Type}: the network default does not reduce this payload.");
        }
    }

    [Benchmark(Baseline = true, Description = "legacy")]
    public StreamingPayload Legacy() => LegacyPayloadReducer.ReducePayload(_payload, ResolutionRequest.NetworkDefault);

    [Benchmark(Description = "current")]
    public StreamingPayload Current() => PayloadReducer.ReducePayload(_payload, ResolutionRequest.NetworkDefault);

    // As the server calls it: a new message each time (as every message is), reduced through the per-message cache
    // (legacy: a ConditionalWeakTable entry per message; current: a field of the message).
    [Benchmark(Description = "legacy Reduce(new message)")]
    public StreamingData LegacyMessage() => LegacyPayloadReducer.Reduce(new StreamingData(_metadata, _payload), ResolutionRequest.NetworkDefault);

    [Benchmark(Description = "current Reduce(new message)")]
    public StreamingData CurrentMessage() => PayloadReducer.Reduce(new StreamingData(_metadata, _payload), ResolutionRequest.NetworkDefault);

    // One second of 48 kHz stereo audio (a 1 kHz sine at -6 dBFS and noise at -40 dBFS) in 512-frame blocks, then the
    // producer's payload.
    internal static StreamingPayload Produce(DataProducer producer)
    {
        const int frames = 512;
        var format = new AudioFormat(48_000, 2);
        producer.Initialize(format);
        var random = new Random(1);
        var samples = new float[frames * 2];
        for (long frame = 0; frame < 48_000; frame += frames)
        {
            for (var i = 0; i < frames; i++)
            {
                var sine = (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * (frame + i) / 48_000.0));
                samples[2 * i] = sine + (float)(0.01 * ((random.NextDouble() * 2) - 1));
                samples[(2 * i) + 1] = (0.5f * sine) + (float)(0.01 * ((random.NextDouble() * 2) - 1));
            }

            producer.ProcessBlock(new AudioBlock(samples, format, frame));
        }

        return producer.ExtractData() ?? throw new InvalidOperationException($"{producer.GetType().Name} made no payload.");
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun.WithIterationCount(9).WithToolchain(InProcessEmitToolchain.Instance));
            SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(RatioStyle.Value);
        }
    }
}
