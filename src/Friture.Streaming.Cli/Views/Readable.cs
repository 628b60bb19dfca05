using System.Globalization;
using Friture.Streaming.Data;

namespace Friture.Streaming.Cli.Views;

/// <summary>Values as a person reads them: a dash for silence and no signal, no negative zero, units, no raw enum names.</summary>
internal static class Readable
{
    /// <summary>Levels below this are shown as a dash (digital silence reads -200 dBFS on the wire).</summary>
    public const double SilenceDb = -150;

    public const string Dash = "-";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>A level with one decimal, or a dash for silence.</summary>
    public static string Db(double value) => double.IsFinite(value) && value > SilenceDb ? value.ToString("0.0", C) : Dash;

    /// <summary>A signed value rounded first, so that -0.04 reads +0.0 rather than -0.0.</summary>
    public static string Signed(double value, int digits = 1)
    {
        var rounded = Math.Round(value, digits) + 0.0; // + 0.0 turns a negative zero positive
        var format = "0." + new string('0', digits);
        return rounded.ToString("+" + format + ";-" + format + ";" + format, C);
    }

    public static string Polarity(Polarity polarity) => polarity switch
    {
        Data.Polarity.InPhase => "same polarity",
        Data.Polarity.Reversed => "reversed polarity",
        _ => "polarity unknown",
    };

    /// <summary>The delay as one phrase: the value with its units, or why there is none.</summary>
    public static string Delay(DelayEstimatorData delay) => delay switch
    {
        { InactiveReason: { } reason } => "inactive (" + reason.Replace("inactive: ", string.Empty, StringComparison.Ordinal).Split(';')[0] + ")",
        { DelayMs: { } ms } => string.Create(C, $"{Signed(ms, 2)} ms ({delay.DistanceM:0.00} m, confidence {delay.Confidence * 100:0} %, {Polarity(delay.Polarity)})"),
        _ => string.Create(C, $"{Dash} ms (no coherent signal, confidence {delay.Confidence * 100:0} %)"),
    };
}
