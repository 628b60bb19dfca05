using System.Globalization;
using Friture.Streaming.Dsp.Pitch;

namespace Friture.Streaming.Benchmarks.Dsp;

/// <summary>
/// One YIN frame (48 kHz, 65 to 1047 Hz): the detector against <see cref="YinPitchDetectorBaseline"/> (the detector
/// before issue 14), interleaved in thread CPU time (<see cref="Interleaved"/>). Run with
/// <c>dotnet run -c Release --project tests/Friture.Streaming.Benchmarks -- interleaved pitch</c>.
/// </summary>
internal static class PitchBenchmarks
{
    internal static void Run()
    {
        const int rate = 48000;
        var detector = new YinPitchDetector(rate, 65, 1047);
        var baseline = new YinPitchDetectorBaseline(rate, 65, 1047);
        Console.WriteLine($"YIN frame, 48 kHz, 65..1047 Hz, frame {detector.FrameLength} samples (before: {baseline.FrameLength}, the newest of the same frames); ratio = ours / before (thread CPU time, interleaved rounds)");
        Console.WriteLine("| signal | before (us) | now (us) | ratio now/before (median) | quartiles |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        var random = new Random(7);
        foreach (var (name, f0, snr) in new[] { ("harmonic 110 Hz, clean", 110.0, double.PositiveInfinity), ("harmonic 440 Hz, 10 dB SNR", 440.0, 10.0), ("harmonic 220 Hz, 0 dB SNR", 220.0, 0.0), ("white noise", 0.0, double.NegativeInfinity), ("sine 1500 Hz", -1500.0, double.PositiveInfinity) })
        {
            var frames = new float[16][];
            for (var f = 0; f < frames.Length; f++)
            {
                frames[f] = new float[detector.FrameLength];
                for (var n = 0; n < detector.FrameLength; n++)
                {
                    var t = (double)(n + (f * 1024)) / rate;
                    var v = 0.0;
                    if (f0 > 0)
                    {
                        for (var k = 1; k <= 8; k++)
                        {
                            v += Math.Sin(2 * Math.PI * k * f0 * t) / k;
                        }

                        v *= 0.3 / 0.9;
                    }
                    else if (f0 < 0)
                    {
                        v = 0.3 * Math.Sqrt(2) * Math.Sin(2 * Math.PI * -f0 * t);
                    }

                    var noise = double.IsNegativeInfinity(snr) ? 0.3 : double.IsPositiveInfinity(snr) ? 0 : 0.3 / Math.Pow(10, snr / 20);
                    frames[f][n] = (float)(v + (noise * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())));
                }
            }

            var i = 0;
            var j = 0;
            var result = Interleaved.Compare(
                () => detector.Estimate(frames[i++ & 15]),
                () => baseline.Estimate(frames[j++ & 15].AsSpan(detector.FrameLength - baseline.FrameLength)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {result.BNanoseconds / 1000:F2} | {result.ANanoseconds / 1000:F2} | {result.MedianRatio:F3} | {result.LowerQuartile:F3} .. {result.UpperQuartile:F3} |"));
        }
    }
}
