namespace Friture.Streaming.Tests.Dsp.Loudness;

/// <summary>
/// The EBU Tech 3341 (loudness meter minimum requirements) and Tech 3342 (loudness range) test signals that are
/// defined by a description rather than a file, synthesised at any sample rate; with the readings the documents expect.
/// </summary>
internal static class EbuTestSignals
{
    /// <summary>A signal by name: "3341-N" (N = 1 to 6, 9) or "3342-N" (N = 1 to 4).</summary>
    public static (float[] Samples, int Channels) Create(string name, int rate) => name switch
    {
        // Stereo 1 kHz sine, 20 s, at -23 / -33 dBFS in each channel: M, S and I read -23.0 / -33.0 LUFS.
        "3341-1" => (LoudnessSignals.Segments(rate, 2, (20, -23)), 2),
        "3341-2" => (LoudnessSignals.Segments(rate, 2, (20, -33)), 2),

        // Level changes that the gates must see through: I reads -23.0 LUFS.
        "3341-3" => (LoudnessSignals.Segments(rate, 2, (10, -36), (60, -23), (10, -36)), 2),
        "3341-4" => (LoudnessSignals.Segments(rate, 2, (10, -72), (10, -36), (60, -23), (10, -36), (10, -72)), 2),
        "3341-5" => (LoudnessSignals.Segments(rate, 2, (20, -26), (20.1, -20), (20, -26)), 2),

        // Five channels L R C Ls Rs at -28, -28, -24, -30, -30 dBFS, 20 s: I reads -23.0 LUFS (surround weight 1.41).
        "3341-6" => (LoudnessSignals.Levels(rate, 5, 1000, 0, (20, [-28, -28, -24, -30, -30])), 5),

        // 1.34 s at -20 dBFS then 1.66 s at -30 dBFS, five times: S reads -23.0 LUFS once 3 s have passed.
        "3341-9" => (Repeat(LoudnessSignals.Segments(rate, 2, (1.34, -20), (1.66, -30)), 5), 2),

        // Loudness range: 20 s segments of a stereo 1 kHz sine; LRA reads 10, 5, 20 and 15 LU (+-1 LU).
        "3342-1" => (LoudnessSignals.Segments(rate, 2, (20, -20), (20, -30)), 2),
        "3342-2" => (LoudnessSignals.Segments(rate, 2, (20, -20), (20, -15)), 2),
        "3342-3" => (LoudnessSignals.Segments(rate, 2, (20, -40), (20, -20)), 2),
        "3342-4" => (LoudnessSignals.Segments(rate, 2, (20, -50), (20, -35), (20, -20), (20, -35), (20, -50)), 2),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown EBU test signal"),
    };

    private static float[] Repeat(float[] period, int times)
    {
        var samples = new float[period.Length * times];
        for (var i = 0; i < times; i++)
        {
            period.CopyTo(samples, i * period.Length);
        }

        return samples;
    }
}
