using System.Globalization;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.OctaveSpectrum;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Benchmarks.Dsp;
using Friture.Streaming.Data;
using Friture.Streaming.Producers;
using Friture.Streaming.Reduction;
using Friture.Streaming.Reduction.Legacy;

namespace Friture.Streaming.Benchmarks.Reduction;

/// <summary>
/// The reducer before the rewrite against the current one, interleaved in thread CPU time (<see cref="Interleaved"/>,
/// robust to a loaded machine): each payload type at the network default resolution, through
/// <c>Reduce</c> with a new message per call as the server calls it, on the payloads of <see cref="ReductionBenchmarks"/>.
/// <c>dotnet run -c Release --project tests/Friture.Streaming.Benchmarks -- interleaved reduction</c>.
/// </summary>
internal static class ReductionInterleaved
{
    // Reductions per second at the CLI's defaults with one WebSocket client on every type (perf profile of issue 12).
    private static readonly (string Type, Func<DataProducer> Producer, double PerSecond)[] Types =
    [
        ("fft_spectrum", static () => new FftSpectrumProducer(), 30),
        ("scope", static () => new ScopeProducer(), 60),
        ("spectrogram", static () => new SpectrogramProducer(), 25),
        ("octave_spectrum", static () => new OctaveSpectrumProducer(), 20),
    ];

    internal static void Run()
    {
        Console.WriteLine("Reduction at the network default, Reduce(new message): current / legacy (thread CPU time, 201 interleaved rounds of ~2 ms, median and quartiles)");
        Console.WriteLine("| type | legacy (ns) | current (ns) | current / legacy (quartiles) | per s at the rate: legacy -> current (us) |");
        Console.WriteLine("|---|---:|---:|---|---|");
        double legacyTotal = 0, currentTotal = 0;
        foreach (var (type, make, perSecond) in Types)
        {
            var producer = make();
            var payload = ReductionBenchmarks.Produce(producer);
            var metadata = new StreamingMetadata { DataType = producer.GetDataType(), Timestamp = DateTimeOffset.UnixEpoch };
            var request = ResolutionRequest.NetworkDefault;
            Action current = () => PayloadReducer.Reduce(new StreamingData(metadata, payload), request);
            Action legacy = () => LegacyPayloadReducer.Reduce(new StreamingData(metadata, payload), request);

            // Both sides at their final tier before measuring, as in a server that has run for a while (tier-0 code
            // of the vector kernels is many times slower; tier 1 is compiled in the background after the call counts).
            for (var round = 0; round < 5; round++)
            {
                for (var i = 0; i < 2000; i++)
                {
                    current();
                    legacy();
                }

                Thread.Sleep(200);
            }

            var result = Interleaved.Compare(current, legacy);
            legacyTotal += result.BNanoseconds * perSecond / 1000;
            currentTotal += result.ANanoseconds * perSecond / 1000;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {type} | {result.BNanoseconds:F0} | {result.ANanoseconds:F0} | {result.MedianRatio:F3} ({result.LowerQuartile:F3} to {result.UpperQuartile:F3}) | {perSecond}/s: {result.BNanoseconds * perSecond / 1000:F0} -> {result.ANanoseconds * perSecond / 1000:F0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| all four at their rates | | | {currentTotal / legacyTotal:F3} | {legacyTotal:F0} -> {currentTotal:F0} us of CPU per second |"));
    }
}
