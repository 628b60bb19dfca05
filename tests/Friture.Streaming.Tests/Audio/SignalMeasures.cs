namespace Friture.Streaming.Tests.Audio;

/// <summary>Reference measurements for the audio tests: Goertzel power, RMS, zero-crossing frequency.</summary>
internal static class SignalMeasures
{
    /// <summary>Amplitude of the component at <paramref name="frequency"/> (Goertzel over a whole number of periods is exact for a pure tone).</summary>
    public static double ToneAmplitude(ReadOnlySpan<float> x, double frequency, int sampleRate)
    {
        var w = 2 * Math.PI * frequency / sampleRate;
        var coeff = 2 * Math.Cos(w);
        double s1 = 0, s2 = 0;
        foreach (var v in x)
        {
            var s0 = v + (coeff * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        var power = (s1 * s1) + (s2 * s2) - (coeff * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(power, 0)) / x.Length;
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (var v in x)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / x.Length);
    }

    /// <summary>Frequency from the rising zero crossings, interpolated to sub-sample precision.</summary>
    public static double ZeroCrossingFrequency(ReadOnlySpan<float> x, int sampleRate)
    {
        double first = -1, last = -1;
        var count = 0;
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i - 1] < 0 && x[i] >= 0)
            {
                var t = (i - 1) + (-x[i - 1] / (x[i] - x[i - 1]));
                if (first < 0)
                {
                    first = t;
                }
                else
                {
                    count++;
                }

                last = t;
            }
        }

        return count == 0 ? 0 : count * sampleRate / (last - first);
    }

    public static float[] Channel(ReadOnlySpan<float> interleaved, int channels, int channel)
    {
        var result = new float[interleaved.Length / channels];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = interleaved[(i * channels) + channel];
        }

        return result;
    }

    public static double Db(double amplitude) => 20 * Math.Log10(amplitude);
}
