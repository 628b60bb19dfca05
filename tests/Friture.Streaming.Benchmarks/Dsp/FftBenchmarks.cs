using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Friture.Streaming.Dsp.Fft;
using MathNet.Numerics.IntegralTransforms;

namespace Friture.Streaming.Benchmarks.Dsp;

/// <summary>
/// Real-input forward FFT: this library's <see cref="RealFft"/> (the baseline, ratio 1.00) against its own scalar path,
/// MathNet.Numerics 5 (<c>Fourier.ForwardReal</c>, the .NET peer) and FFTW 3 float r2c (plans made once with
/// FFTW_MEASURE and FFTW_PATIENT; the practical limit). Ratios above 1 are slower than ours. On a loaded machine read the
/// interleaved thread-CPU comparison instead (<see cref="FftInterleaved"/>, <c>-- interleaved fft</c>).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public unsafe class FftBenchmarks
{
    private RealFft _fft = null!;
    private RealFft _scalar = null!;
    private float[] _input = null!;
    private float[] _re = null!;
    private float[] _im = null!;
    private float[] _mathNet = null!;
    private float* _fftwIn;
    private float* _fftwOut;
    private nint _plan;
    private float* _patientIn;
    private float* _patientOut;
    private nint _patientPlan;

    [Params(256, 1024, 4096, 16384, 65536)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _input = new float[N];
        for (var i = 0; i < N; i++)
        {
            _input[i] = (float)((random.NextDouble() * 2) - 1);
        }

        _fft = new RealFft(N);
        _scalar = new RealFft(N, useVectors: false);
        _re = new float[_fft.BinCount];
        _im = new float[_fft.BinCount];
        _mathNet = new float[N + 2];
        if (Fftw.IsAvailable)
        {
            _fftwIn = (float*)Fftw.Malloc((nuint)(N * sizeof(float)));
            _fftwOut = (float*)Fftw.Malloc((nuint)((N + 2) * sizeof(float)));
            _plan = Fftw.PlanR2C(N, _fftwIn, _fftwOut, Fftw.Measure);
            _input.AsSpan().CopyTo(new Span<float>(_fftwIn, N));
            _patientIn = (float*)Fftw.Malloc((nuint)(N * sizeof(float)));
            _patientOut = (float*)Fftw.Malloc((nuint)((N + 2) * sizeof(float)));
            _patientPlan = Fftw.PlanR2C(N, _patientIn, _patientOut, Fftw.Patient);
            _input.AsSpan().CopyTo(new Span<float>(_patientIn, N));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_plan != 0)
        {
            Fftw.DestroyPlan(_plan);
            Fftw.Free(_fftwIn);
            Fftw.Free(_fftwOut);
            _plan = 0;
            Fftw.DestroyPlan(_patientPlan);
            Fftw.Free(_patientIn);
            Fftw.Free(_patientOut);
            _patientPlan = 0;
        }
    }

    [Benchmark(Baseline = true, Description = "RealFft (AVX2)")]
    public void Friture() => _fft.Forward(_input, _re, _im);

    [Benchmark(Description = "RealFft (scalar)")]
    public void FritureScalar() => _scalar.Forward(_input, _re, _im);

    [Benchmark(Description = "MathNet 5 ForwardReal")]
    public void MathNet()
    {
        _input.AsSpan().CopyTo(_mathNet);
        Fourier.ForwardReal(_mathNet, N, FourierOptions.AsymmetricScaling);
    }

    [Benchmark(Description = "FFTW 3 r2c MEASURE")]
    public void Fftw3()
    {
        Fftw.Execute(_plan);
    }

    [Benchmark(Description = "FFTW 3 r2c PATIENT")]
    public void Fftw3Patient()
    {
        Fftw.Execute(_patientPlan);
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            if (!Fftw.IsAvailable)
            {
                Console.WriteLine("FFTW: libfftw3f is not installed (run scripts/ci/fftw.sh); the FFTW column is unavailable and skipped.");
                AddFilter(new SimpleFilter(b => b.Descriptor.WorkloadMethod.Name is not (nameof(Fftw3) or nameof(Fftw3Patient))));
            }
            else
            {
                Console.WriteLine($"FFTW: {Fftw.Version}");
            }
        }
    }
}
