namespace Friture.Streaming.Tests.Dsp.Loudness;

/// <summary>
/// The EBU test signals, synthesised from their published descriptions (EBU Tech 3341 and Tech 3342): 1 kHz sines,
/// the same level in every channel unless given per channel, phase continuous across level changes.
/// </summary>
internal static class LoudnessSignals
{
    /// <summary>A sine of constant level, interleaved.</summary>
    public static float[] Sine(int rate, int channels, double seconds, double frequency, double dbfs, double phase = 0) =>
        Levels(rate, channels, frequency, phase, (seconds, Repeat(dbfs, channels)));

    /// <summary>A 1 kHz sine whose per-channel peak level (dBFS) changes at the end of each segment.</summary>
    public static float[] Segments(int rate, int channels, params (double Seconds, double Dbfs)[] segments)
    {
        var withChannels = new (double, double[])[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            withChannels[i] = (segments[i].Seconds, Repeat(segments[i].Dbfs, channels));
        }

        return Levels(rate, channels, 1000, 0, withChannels);
    }

    /// <summary>A sine whose level, per channel, changes at the end of each segment (-inf dBFS = silence).</summary>
    public static float[] Levels(int rate, int channels, double frequency, double phase, params (double Seconds, double[] Dbfs)[] segments)
    {
        long total = 0;
        foreach (var (seconds, _) in segments)
        {
            total += (long)Math.Round(seconds * rate);
        }

        var samples = new float[total * channels];
        long n = 0;
        foreach (var (seconds, dbfs) in segments)
        {
            var end = n + (long)Math.Round(seconds * rate);
            for (; n < end; n++)
            {
                var s = Math.Sin((2 * Math.PI * frequency * n / rate) + phase);
                for (var c = 0; c < channels; c++)
                {
                    samples[(n * channels) + c] = (float)(Math.Pow(10, dbfs[c] / 20) * s);
                }
            }
        }

        return samples;
    }

    public static double[] Repeat(double value, int count)
    {
        var values = new double[count];
        Array.Fill(values, value);
        return values;
    }
}
