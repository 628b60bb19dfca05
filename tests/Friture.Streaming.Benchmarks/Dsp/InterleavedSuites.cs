namespace Friture.Streaming.Benchmarks.Dsp;

/// <summary>Entry point of the interleaved comparisons: <c>interleaved pitch</c>, <c>interleaved fft</c>.</summary>
internal static class InterleavedSuites
{
    internal static int Run(string[] suites)
    {
        if (suites.Length == 0)
        {
            Console.Error.WriteLine("Name a suite: interleaved pitch | interleaved fft | interleaved websocket-batch | interleaved reduction");
            return 2;
        }

        foreach (var suite in suites)
        {
            switch (suite)
            {
                case "pitch":
                    PitchBenchmarks.Run();
                    break;
                case "fft":
                    FftInterleaved.Run();
                    break;
                case "websocket-batch":
                    Network.WebSocketBatchCpu.Run();
                    break;
                case "reduction":
                    Reduction.ReductionInterleaved.Run();
                    break;
                default:
                    Console.Error.WriteLine($"Unknown suite '{suite}': use pitch, fft, websocket-batch or reduction.");
                    return 2;
            }
        }

        return 0;
    }
}
