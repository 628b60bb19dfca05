using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Friture.Streaming.Cli.Views;

/// <summary>The live terminal view (Spectre.Console): level meters, pitch tuner, spectrum peaks, octave bars, delay.</summary>
internal static class LiveView
{
    private const int MeterWidth = 40;

    public static IRenderable Render(AnalysisSnapshot s, IReadOnlyList<string> header)
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
                    l.PeakLevelsDb[i].ToString("0.0", c),
                    l.RmsLevelsDb[i].ToString("0.0", c),
                    l.PeakHoldLevelsDb[i].ToString("0.0", c));
            }
        }

        var pitch = new Table().Border(TableBorder.Rounded).Title("Pitch").AddColumns("note", "Hz", "cents", "tuner");
        if (s.Pitch is { FrequencyHz: { } hz } p)
        {
            var cents = p.CentsOffset ?? 0;
            pitch.AddRow($"[bold aqua]{Markup.Escape(p.NoteName ?? "?")}[/]", hz.ToString("0.00", c), cents.ToString("+0.0;-0.0;0.0", c), Tuner(cents));
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
        }

        var octave = new BarChart().Label("Octave bands (dB above -100 dBFS)").Width(60);
        if (s.Octave is { } o)
        {
            for (var i = 0; i < o.BandEnergiesDb.Length; i++)
            {
                octave.AddItem(o.BandLabels.Length > i ? o.BandLabels[i] : o.CenterFrequencies[i].ToString("0", c), Math.Round(Math.Max(0, o.BandEnergiesDb[i] + 100), 1), Color.Green);
            }
        }

        grid.AddRow(levels);
        grid.AddRow(new Columns(pitch, peaks));
        if (s.Delay is { } delay)
        {
            grid.AddRow(new Markup(string.Create(c, $"Delay [bold]{delay.DelayMs:0.00} ms[/] ({delay.DistanceM:0.00} m, confidence {delay.Confidence * 100:0} %, {delay.Polarity})")));
        }

        // An empty BarChart throws in Spectre.Console 0.57 (Max of no items): draw it only once bands arrived.
        if (s.Octave is { BandEnergiesDb.Length: > 0 })
        {
            grid.AddRow(octave);
        }

        grid.AddRow(new Markup(string.Create(c, $"[grey]stream time {s.StreamTime:0.0} s, {s.Messages} messages. Ctrl+C to stop.[/]")));
        return grid;
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
