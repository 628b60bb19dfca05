using System.Globalization;
using System.Text;

namespace Friture.Streaming.Cli.Views;

/// <summary>One log line per interval when the output is not a terminal (pipes, files, CI).</summary>
internal static class PlainView
{
    public static string Line(AnalysisSnapshot s)
    {
        var line = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        line.Append(c, $"[{s.StreamTime,7:0.0} s]");
        if (s.Levels is { } levels && levels.PeakLevelsDb.Length > 0)
        {
            line.Append(" levels");
            for (var i = 0; i < levels.PeakLevelsDb.Length; i++)
            {
                line.Append(c, $" ch{i + 1} peak {Readable.Db(levels.PeakLevelsDb[i])} rms {Readable.Db(levels.RmsLevelsDb[i])}");
            }

            line.Append(" dBFS");
        }

        if (s.Pitch is { } pitch)
        {
            line.Append(pitch.FrequencyHz is { } hz
                ? string.Create(c, $" | pitch {pitch.NoteName} {hz:0.0} Hz {Readable.Signed(pitch.CentsOffset ?? 0)} cents")
                : " | pitch -");
        }

        if (s.Spectrum is { } spectrum)
        {
            line.Append(" | peaks");
            var found = SpectrumPeaks.Find(spectrum, 3);
            foreach (var (f, db) in found)
            {
                line.Append(c, $" {f:0.0} Hz {db:0.0} dB;");
            }

            if (found.Count == 0)
            {
                line.Append(" -;");
            }

            line.Length--;
        }

        if (s.Delay is { } delay)
        {
            line.Append(" | delay ").Append(Readable.Delay(delay));
        }

        line.Append(c, $" | {s.Messages} msgs");
        return line.ToString();
    }
}
