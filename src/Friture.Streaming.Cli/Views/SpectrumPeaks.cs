using Friture.Streaming.Data;

namespace Friture.Streaming.Cli.Views;

/// <summary>The strongest local maxima of a spectrum, at least a third of an octave apart.</summary>
internal static class SpectrumPeaks
{
    public static List<(double FrequencyHz, double LevelDb)> Find(FftSpectrumData spectrum, int count, double floorDb = -100)
    {
        var f = spectrum.Frequencies;
        var m = spectrum.MagnitudesDb;
        var candidates = new List<(double FrequencyHz, double LevelDb)>();
        for (var i = 1; i < m.Length - 1; i++)
        {
            if (m[i] > floorDb && m[i] >= m[i - 1] && m[i] > m[i + 1])
            {
                candidates.Add((f[i], m[i]));
            }
        }

        candidates.Sort(static (x, y) => y.LevelDb.CompareTo(x.LevelDb));
        var peaks = new List<(double FrequencyHz, double LevelDb)>();
        if (spectrum is { PeakFrequency: { } peakHz, PeakMagnitude: { } peakDb })
        {
            // The producer's peak is refined between bins; prefer it to the grid point.
            peaks.Add((peakHz, peakDb));
        }

        foreach (var candidate in candidates)
        {
            if (peaks.Count >= count)
            {
                break;
            }

            var separate = true;
            foreach (var peak in peaks)
            {
                separate &= Math.Abs(Math.Log2(candidate.FrequencyHz / peak.FrequencyHz)) > 1.0 / 3;
            }

            if (separate)
            {
                peaks.Add(candidate);
            }
        }

        return peaks;
    }
}
