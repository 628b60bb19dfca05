using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Friture.Streaming.Cli.Views;

/// <summary>The live terminal view (Spectre.Console): level meters, pitch tuner, spectrum peaks, octave bars, delay.</summary>
internal static class LiveView
{
    private const int MeterWidth = 40;

    public static IRenderable Render(AnalysisSnapshot s, IReadOnlyList<string> header, LiveLog? log = null)
    {
        var c = CultureInfo.InvariantCulture;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap());
        foreach (var line in header)
        {
            grid.AddRow(new Markup(Markup.Escape(line), new Style(Color.Grey)));
        }

        var levels = new Table().Border(TableBorder.Rounded).Title("Levels (dBFS)").AddColumns("ch", "meter", "peak", "rms", "hold");
        if (s.Levels is { } l)
        {
            for (var i = 0; i < l.RmsLevelsDb.Length; i++)
            {
                levels.AddRow(
                    (i + 1).ToString(c),
                    Meter(l.RmsLevelsDb[i], l.PeakLevelsDb[i], l.PeakHoldLevelsDb[i]),
                    Readable.Db(l.PeakLevelsDb[i]),
                    Readable.Db(l.RmsLevelsDb[i]),
                    Readable.Db(l.PeakHoldLevelsDb[i]));
            }
        }

        var pitch = new Table().Border(TableBorder.Rounded).Title("Pitch").AddColumns("note", "Hz", "cents", "tuner");
        if (s.Pitch is { FrequencyHz: { } hz } p)
        {
            var cents = p.CentsOffset ?? 0;
            pitch.AddRow($"[bold aqua]{Markup.Escape(p.NoteName ?? "?")}[/]", hz.ToString("0.00", c), Readable.Signed(cents), Tuner(cents));
        }
        else
        {
            pitch.AddRow("-", "-", "-", Tuner(null));
        }

        var peaks = new Table().Border(TableBorder.Rounded).Title("Spectrum peaks").AddColumns("Hz", "dBFS");
        if (s.Spectrum is { } spectrum)
        {
            foreach (var (f, db) in SpectrumPeaks.Find(spectrum, 5))
            {
                peaks.AddRow(f.ToString("0.0", c), db.ToString("0.0", c));
            }

            if (peaks.Rows.Count == 0)
            {
                peaks.AddRow(Readable.Dash, Readable.Dash);
            }
        }

        grid.AddRow(levels);
        grid.AddRow(new Columns(pitch, peaks));
        if (s.Delay is { } delay)
        {
            grid.AddRow(new Markup("Delay " + Markup.Escape(Readable.Delay(delay))));
        }

        if (s.Octave is { BandEnergiesDb.Length: > 0 } o)
        {
            grid.AddRow(new Markup("[grey]Octave bands, -100..0 dBFS[/]"));
            grid.AddRow(new Markup("[green]" + Sparkline(o) + "[/]"));
            grid.AddRow(new Markup("[grey]" + Markup.Escape(BandAxis(o)) + "[/]"));
        }

        grid.AddRow(new Markup(string.Create(c, $"[grey]stream time {s.StreamTime:0.0} s, {s.Messages} messages. Ctrl+C to stop.[/]")));
        if (log is not null)
        {
            // The scroll area: the last few log lines, under the view, never drawn into it.
            var where = log.FilePath is { } path ? $"all in {path}" : "last lines";
            grid.AddRow(new Markup(Markup.Escape(string.Create(c, $"log ({log.Count} lines, {where}):")), new Style(Color.Grey)));
            // One row per line, cut to the terminal's width: a wrapped line would push the view around.
            var width = Math.Max(20, AnsiConsole.Profile.Width - 1);
            foreach (var line in log.Recent())
            {
                grid.AddRow(new Text(line.Length > width ? line[..(width - 1)] + "…" : line, new Style(Color.Yellow)));
            }
        }

        return grid;
    }

    /// <summary>One block character per band (▁ to █), compact enough for any terminal height.</summary>
    private static string Sparkline(Data.OctaveSpectrumData o)
    {
        const string blocks = " ▁▂▃▄▅▆▇█";
        var chars = new char[o.BandEnergiesDb.Length * 2];
        for (var i = 0; i < o.BandEnergiesDb.Length; i++)
        {
            var level = Math.Clamp((o.BandEnergiesDb[i] + 100) / 100, 0, 1);
            chars[2 * i] = blocks[(int)Math.Round(level * (blocks.Length - 1))];
            chars[(2 * i) + 1] = ' ';
        }

        return new string(chars);
    }

    /// <summary>Labels under the sparkline at the bands nearest 31.5 Hz, 125 Hz, 500 Hz, 2 kHz and 8 kHz.</summary>
    private static string BandAxis(Data.OctaveSpectrumData o)
    {
        var axis = new char[o.BandEnergiesDb.Length * 2];
        Array.Fill(axis, ' ');
        foreach (var (hz, label) in new[] { (31.5, "31"), (125.0, "125"), (500.0, "500"), (2000.0, "2k"), (8000.0, "8k") })
        {
            var best = -1;
            for (var i = 0; i < o.CenterFrequencies.Length; i++)
            {
                if (best < 0 || Math.Abs(Math.Log2(o.CenterFrequencies[i] / hz)) < Math.Abs(Math.Log2(o.CenterFrequencies[best] / hz)))
                {
                    best = i;
                }
            }

            if (best >= 0 && Math.Abs(Math.Log2(o.CenterFrequencies[best] / hz)) < 0.5 && (2 * best) + label.Length <= axis.Length)
            {
                label.CopyTo(0, axis, 2 * best, label.Length);
            }
        }

        return new string(axis).TrimEnd();
    }

    private static string Meter(double rms, double peak, double hold)
    {
        static int Cell(double db) => (int)Math.Clamp(Math.Round((db + 90) / 90 * MeterWidth), 0, MeterWidth);
        var rmsCells = Cell(rms);
        var peakCell = Cell(peak);
        var holdCell = Cell(hold);
        var chars = new char[MeterWidth];
        for (var i = 0; i < MeterWidth; i++)
        {
            chars[i] = i < rmsCells ? '█' : i < peakCell ? '▒' : ' ';
        }

        if (holdCell is > 0 and <= MeterWidth)
        {
            chars[holdCell - 1] = '|';
        }

        var colour = peak > -3 ? "red" : peak > -12 ? "yellow" : "green";
        return $"[{colour}]{Markup.Escape(new string(chars))}[/]";
    }

    private static string Tuner(double? cents)
    {
        const int half = 12;
        var chars = new string('─', (2 * half) + 1).ToCharArray();
        chars[half] = '┼';
        if (cents is { } value)
        {
            chars[half + (int)Math.Round(Math.Clamp(value, -50, 50) / 50 * half)] = '●';
        }

        var colour = cents is { } v && Math.Abs(v) < 5 ? "green" : "yellow";
        return $"[{colour}]{new string(chars)}[/]";
    }
}
