using System.Globalization;
using Friture.Streaming.Dsp.Fft;

namespace Friture.Streaming.Benchmarks.Dsp;

/// <summary>
/// <see cref="RealFft"/> forward against FFTW 3 float r2c with MEASURE and PATIENT plans, interleaved in thread CPU
/// time (<see cref="Interleaved"/>): <c>dotnet run -c Release --project tests/Friture.Streaming.Benchmarks -- interleaved fft</c>.
/// </summary>
internal static unsafe class FftInterleaved
{
    internal static void Run()
    {
        if (!Fftw.IsAvailable)
        {
            Console.WriteLine("FFTW: libfftw3f is not installed (run scripts/ci/fftw.sh); nothing to compare with.");
            return;
        }

        Console.WriteLine($"FFTW: {Fftw.Version}; ratio = RealFft time / FFTW time (thread CPU time, 201 interleaved rounds of ~2 ms, median and quartiles)");
        Console.WriteLine("| N | RealFft (us) | FFTW MEASURE (us) | FFTW PATIENT (us) | ours / MEASURE | ours / PATIENT (quartiles) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|");
        foreach (var n in new[] { 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536 })
        {
            var random = new Random(42);
            var input = new float[n];
            for (var i = 0; i < n; i++)
            {
                input[i] = (float)((random.NextDouble() * 2) - 1);
            }

            var fft = new RealFft(n);
            var re = new float[fft.BinCount];
            var im = new float[fft.BinCount];
            var inMeasure = (float*)Fftw.Malloc((nuint)(n * sizeof(float)));
            var outMeasure = (float*)Fftw.Malloc((nuint)((n + 2) * sizeof(float)));
            var inPatient = (float*)Fftw.Malloc((nuint)(n * sizeof(float)));
            var outPatient = (float*)Fftw.Malloc((nuint)((n + 2) * sizeof(float)));
            var measure = Fftw.PlanR2C(n, inMeasure, outMeasure, Fftw.Measure);
            var patient = Fftw.PlanR2C(n, inPatient, outPatient, Fftw.Patient);
            input.AsSpan().CopyTo(new Span<float>(inMeasure, n));
            input.AsSpan().CopyTo(new Span<float>(inPatient, n));
            var execute = Fftw.Execute;
            try
            {
                var m = Interleaved.Compare(() => fft.Forward(input, re, im), () => execute(measure));
                var p = Interleaved.Compare(() => fft.Forward(input, re, im), () => execute(patient));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {n} | {p.ANanoseconds / 1000:F2} | {m.BNanoseconds / 1000:F2} | {p.BNanoseconds / 1000:F2} | {m.MedianRatio:F3} | {p.MedianRatio:F3} ({p.LowerQuartile:F3} .. {p.UpperQuartile:F3}) |"));
            }
            finally
            {
                Fftw.DestroyPlan(measure);
                Fftw.DestroyPlan(patient);
                Fftw.Free(inMeasure);
                Fftw.Free(outMeasure);
                Fftw.Free(inPatient);
                Fftw.Free(outPatient);
            }
        }
    }
}
