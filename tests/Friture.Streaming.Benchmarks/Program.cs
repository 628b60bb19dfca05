using BenchmarkDotNet.Running;

if (args is ["process", .. var rest])
{
    return await Friture.Streaming.Benchmarks.Process.ProcessBench.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
