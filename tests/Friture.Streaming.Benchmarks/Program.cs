using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "interleaved")
{
    // Interleaved thread-CPU-time comparisons (Dsp/Interleaved.cs): "interleaved pitch", "interleaved fft".
    return Friture.Streaming.Benchmarks.Dsp.InterleavedSuites.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
