using System.Diagnostics;
using System.Globalization;
using Friture.Streaming.Benchmarks.Analyzers;
using Friture.Streaming.Benchmarks.Dsp;

namespace Friture.Streaming.Benchmarks.Engine;

/// <summary>
/// CPU-time measurement of the pipeline and engine fan-out benchmarks, for comparing two builds (for example before
/// and after an architecture change) on a loaded machine: run this mode of each build alternately, several times, and
/// compare the medians. Wall-clock benchmarks are meaningless when the machine's load is many times its core count;
/// CPU time counts only the time the threads actually ran.
/// </summary>
/// <remarks>
/// <c>cputime pipeline</c>: the calling thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>) and the process's CPU time
/// per call of <see cref="PipelineBenchmarks.AllSeven"/> (one second of audio through all seven analyzers) and of
/// <see cref="PipelineBenchmarks.AllSevenThroughEngine"/> (the same behind a <c>StreamingApi</c>), alternated, medians
/// of 41 calls each. <c>cputime fanout N</c>: process CPU time and wall time per published message of
/// <see cref="PublishToDeliveryBenchmarks.StreamingApiPublish"/> and its raw-channel baseline with N consumers
/// (1,000 messages per call), alternated, medians of 15 calls each. Prints one tab-separated line per measurement.
/// </remarks>
internal static class CpuTimeComparison
{

    public static int Run(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "pipeline";
        if (mode == "pipeline")
        {
            var bench = new PipelineBenchmarks();
            bench.Setup();
            Compare("pipeline", "all_seven", () => bench.AllSeven(), "through_engine", () => bench.AllSevenThroughEngine(), warmup: 20, rounds: 41, perCall: 1);
            bench.Cleanup();
            return 0;
        }

        if (mode == "fanout")
        {
            var consumers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
            var bench = new PublishToDeliveryBenchmarks { Consumers = consumers };
            bench.Setup();
            Compare(
                $"fanout_{consumers}",
                "raw_channels",
                () => bench.RawChannelFanOut().GetAwaiter().GetResult(),
                "streaming_api",
                () => bench.StreamingApiPublish().GetAwaiter().GetResult(),
                warmup: 5,
                rounds: 15,
                perCall: 1000);
            bench.Cleanup();
            return 0;
        }

        Console.Error.WriteLine("usage: cputime pipeline | cputime fanout <consumers>");
        return 2;
    }

    private static void Compare(string suite, string nameA, Action a, string nameB, Action b, int warmup, int rounds, int perCall)
    {
        for (var i = 0; i < warmup; i++)
        {
            a();
            b();
        }

        var results = new Dictionary<string, List<(double Thread, double Process, double Wall)>> { [nameA] = [], [nameB] = [] };
        for (var r = 0; r < rounds; r++)
        {
            // Alternate which side runs first.
            var order = (r & 1) == 0 ? new[] { (nameA, a), (nameB, b) } : new[] { (nameB, b), (nameA, a) };
            foreach (var (name, action) in order)
            {
                var process = System.Diagnostics.Process.GetCurrentProcess();
                var p0 = process.TotalProcessorTime;
                var t0 = Interleaved.ThreadNanoseconds();
                var w0 = Stopwatch.GetTimestamp();
                action();
                var wall = Stopwatch.GetElapsedTime(w0).TotalNanoseconds;
                var thread = Interleaved.ThreadNanoseconds() - t0;
                process.Refresh();
                var cpu = (process.TotalProcessorTime - p0).TotalNanoseconds;
                results[name].Add((thread / perCall, cpu / perCall, wall / perCall));
            }
        }

        foreach (var (name, list) in results)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{suite}\t{name}\tthread_cpu_ns={Median(list.Select(static x => x.Thread)):F0}\tprocess_cpu_ns={Median(list.Select(static x => x.Process)):F0}\twall_ns={Median(list.Select(static x => x.Wall)):F0}\trounds={list.Count}"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
