using BenchmarkDotNet.Running;

if (args is ["process", .. var rest])
{
    return await Friture.Streaming.Benchmarks.Process.ProcessBench.RunAsync(rest);
}

if (args is ["cputime", .. var cpu])
{
    // CPU time of the pipeline and engine fan-out benchmarks, for comparing two builds on a loaded machine (Engine/CpuTimeComparison.cs).
    return Friture.Streaming.Benchmarks.Engine.CpuTimeComparison.Run(cpu);
}

if (args is ["interleaved", .. var suites])
{
    // Interleaved thread-CPU-time comparisons (Dsp/Interleaved.cs): "interleaved pitch", "interleaved fft".
    return Friture.Streaming.Benchmarks.Dsp.InterleavedSuites.Run(suites);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
