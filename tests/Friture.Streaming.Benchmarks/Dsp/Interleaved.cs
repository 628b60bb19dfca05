using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Friture.Streaming.Benchmarks.Dsp;

/// <summary>
/// Compares two pieces of code on a loaded machine: many short rounds, alternating which runs first, each timed with
/// the CPU time of the calling thread (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, so time the thread spends
/// descheduled is not counted); the result is the median of the per-round ratios, with its quartiles.
/// </summary>
internal static partial class Interleaved
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>Result of one comparison.</summary>
    /// <param name="ANanoseconds">Median thread CPU time of one call of A.</param>
    /// <param name="BNanoseconds">Median thread CPU time of one call of B.</param>
    /// <param name="MedianRatio">Median over rounds of time(A) / time(B).</param>
    /// <param name="LowerQuartile">25th percentile of the ratio.</param>
    /// <param name="UpperQuartile">75th percentile of the ratio.</param>
    /// <param name="Rounds">Rounds measured.</param>
    internal readonly record struct Result(double ANanoseconds, double BNanoseconds, double MedianRatio, double LowerQuartile, double UpperQuartile, int Rounds);

    /// <summary>Thread CPU time in nanoseconds (Linux), or the stopwatch elsewhere.</summary>
    internal static long ThreadNanoseconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var ts) == 0)
        {
            return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    /// <summary>Runs A and B alternately.</summary>
    /// <param name="a">Code A (the numerator).</param>
    /// <param name="b">Code B (the denominator).</param>
    /// <param name="roundNanoseconds">Target CPU time of one side in one round (calls per round are calibrated to it).</param>
    /// <param name="rounds">Rounds.</param>
    /// <returns>The comparison.</returns>
    internal static Result Compare(Action a, Action b, double roundNanoseconds = 2e6, int rounds = 201)
    {
        // Warm up (tiered JIT to its final tier) and calibrate.
        var calls = 1;
        for (var warm = 0; warm < 3; warm++)
        {
            for (var i = 0; i < 200; i++)
            {
                a();
                b();
            }
        }

        while (true)
        {
            var t0 = ThreadNanoseconds();
            for (var i = 0; i < calls; i++)
            {
                a();
            }

            var elapsed = ThreadNanoseconds() - t0;
            if (elapsed >= roundNanoseconds / 4 || calls >= 1 << 24)
            {
                calls = Math.Max(1, (int)(calls * roundNanoseconds / Math.Max(1, elapsed)));
                break;
            }

            calls *= 2;
        }

        var ratios = new double[rounds];
        var timesA = new double[rounds];
        var timesB = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            long ta, tb;
            if ((r & 1) == 0)
            {
                ta = Time(a, calls);
                tb = Time(b, calls);
            }
            else
            {
                tb = Time(b, calls);
                ta = Time(a, calls);
            }

            timesA[r] = (double)ta / calls;
            timesB[r] = (double)tb / calls;
            ratios[r] = (double)ta / Math.Max(1, tb);
        }

        Array.Sort(ratios);
        Array.Sort(timesA);
        Array.Sort(timesB);
        return new Result(timesA[rounds / 2], timesB[rounds / 2], ratios[rounds / 2], ratios[rounds / 4], ratios[3 * rounds / 4], rounds);
    }

    private static long Time(Action action, int calls)
    {
        var t0 = ThreadNanoseconds();
        for (var i = 0; i < calls; i++)
        {
            action();
        }

        return ThreadNanoseconds() - t0;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
