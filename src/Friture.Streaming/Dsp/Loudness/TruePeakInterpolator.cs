using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Friture.Streaming.Dsp.Loudness;

/// <summary>
/// True-peak detector of ITU-R BS.1770-4 annex 2: the signal oversampled by a polyphase FIR interpolator, the peak
/// taken over every interpolated sample.
/// </summary>
/// <remarks>
/// <para>
/// The interpolator is a Kaiser-windowed sinc (beta 6, about 63 dB of image rejection) cut off at the input's Nyquist
/// frequency, <see cref="TapsPerPhase"/> taps per phase, each phase normalised to unity DC gain. One phase is the input
/// itself (a pure delay), so the true peak is never below the sample peak. The factor is 4 at 44.1 kHz and above (the
/// annex's minimum) and grows at lower rates so that the oversampled rate stays at least 176.4 kHz (6 at 32 kHz, 8 at
/// 22.05 kHz, at most 16). Unlike libebur128 it does not drop to 2x at 96 kHz.
/// </para>
/// <para>Allocation: everything in the constructor. Not thread-safe.</para>
/// </remarks>
internal sealed class TruePeakInterpolator
{
    /// <summary>FIR taps per polyphase branch.</summary>
    public const int TapsPerPhase = 32;

    private const double KaiserBeta = 6.0;
    private readonly float[] _coefficients;
    private readonly float[][] _history;

    /// <summary>Creates the interpolator.</summary>
    /// <param name="sampleRate">Input sample rate in Hz.</param>
    /// <param name="channels">Channel count.</param>
    /// <param name="maxFrames">Largest run of frames passed to <see cref="Process"/>.</param>
    public TruePeakInterpolator(double sampleRate, int channels, int maxFrames)
    {
        Factor = FactorFor(sampleRate);
        _coefficients = Design(Factor);
        for (var p = 0; p < Factor; p++)
        {
            var gain = 0f;
            foreach (var tap in Phase(p))
            {
                gain += Math.Abs(tap);
            }

            MaxGain = Math.Max(MaxGain, gain);
        }
        _history = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            _history[c] = new float[TapsPerPhase - 1 + maxFrames + Vector<float>.Count];
        }
    }

    /// <summary>The oversampling factor.</summary>
    public int Factor { get; }

    /// <summary>
    /// The largest gain of any phase to a signal bounded by 1 (the sum of its taps' magnitudes): no interpolated sample
    /// exceeds this times the largest input magnitude within <see cref="TapsPerPhase"/> samples of it.
    /// </summary>
    public float MaxGain { get; }

    /// <summary>The oversampling factor used at a sample rate: at least 4, and enough to reach 176.4 kHz, at most 16.</summary>
    /// <param name="sampleRate">Input sample rate in Hz.</param>
    /// <returns>The factor.</returns>
    public static int FactorFor(double sampleRate) => Math.Clamp((int)Math.Ceiling((176400.0 / sampleRate) - 1e-9), 4, 16);

    /// <summary>The coefficients of phase <paramref name="phase"/> (tap k multiplies the input k samples back).</summary>
    /// <param name="phase">0 .. <see cref="Factor"/> - 1.</param>
    /// <returns>The taps.</returns>
    public ReadOnlySpan<float> Phase(int phase) => _coefficients.AsSpan(phase * TapsPerPhase, TapsPerPhase);

    /// <summary>Feeds one channel's samples and returns the largest interpolated magnitude among them.</summary>
    /// <param name="interleaved">Interleaved frames.</param>
    /// <param name="channel">The channel to read.</param>
    /// <param name="channels">Samples per frame.</param>
    /// <param name="frames">Frames to read, at most the maximum given to the constructor.</param>
    /// <returns>The true peak of these frames, linear.</returns>
    public float Process(ReadOnlySpan<float> interleaved, int channel, int channels, int frames)
    {
        const int history = TapsPerPhase - 1;
        var buffer = _history[channel];
        for (var i = 0; i < frames; i++)
        {
            buffer[history + i] = interleaved[(i * channels) + channel];
        }

        var peak = Vector<float>.Zero;
        var scalarPeak = 0f;
        ref var x = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref var h = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        var width = Vector<float>.Count;
        var vectorEnd = frames - (frames % width);
        for (var p = 0; p < Factor; p++)
        {
            ref var taps = ref Unsafe.Add(ref h, p * TapsPerPhase);
            for (var i = 0; i < vectorEnd; i += width)
            {
                var acc = Vector<float>.Zero;
                for (var k = 0; k < TapsPerPhase; k++)
                {
                    acc += new Vector<float>(Unsafe.Add(ref taps, k)) * Vector.LoadUnsafe(ref x, (nuint)(history + i - k));
                }

                peak = Vector.Max(peak, Vector.Abs(acc));
            }

            for (var i = vectorEnd; i < frames; i++)
            {
                var acc = 0f;
                for (var k = 0; k < TapsPerPhase; k++)
                {
                    acc += Unsafe.Add(ref taps, k) * buffer[history + i - k];
                }

                scalarPeak = Math.Max(scalarPeak, Math.Abs(acc));
            }
        }

        buffer.AsSpan(frames, history).CopyTo(buffer);
        for (var lane = 0; lane < width; lane++)
        {
            scalarPeak = Math.Max(scalarPeak, peak[lane]);
        }

        return scalarPeak;
    }

    /// <summary>Largest magnitude among the last <see cref="TapsPerPhase"/> - 1 samples of a channel (the history).</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The magnitude.</returns>
    public float HistoryPeak(int channel)
    {
        var peak = 0f;
        foreach (var sample in _history[channel].AsSpan(0, TapsPerPhase - 1))
        {
            peak = Math.Max(peak, Math.Abs(sample));
        }

        return peak;
    }

    /// <summary>Feeds one channel's samples into the history without interpolating them (their peak is known to be lower).</summary>
    /// <param name="interleaved">Interleaved frames.</param>
    /// <param name="channel">The channel to read.</param>
    /// <param name="channels">Samples per frame.</param>
    /// <param name="frames">Frames to read.</param>
    public void Skip(ReadOnlySpan<float> interleaved, int channel, int channels, int frames)
    {
        const int history = TapsPerPhase - 1;
        var buffer = _history[channel];
        if (frames >= history)
        {
            for (var i = 0; i < history; i++)
            {
                buffer[i] = interleaved[((frames - history + i) * channels) + channel];
            }

            return;
        }

        buffer.AsSpan(frames, history - frames).CopyTo(buffer);
        for (var i = 0; i < frames; i++)
        {
            buffer[history - frames + i] = interleaved[(i * channels) + channel];
        }
    }

    /// <summary>Forgets the past input.</summary>
    public void Reset()
    {
        foreach (var buffer in _history)
        {
            Array.Clear(buffer);
        }
    }

    private static float[] Design(int factor)
    {
        // Odd length with the centre on an input sample: phase (centre mod factor) is a pure delay.
        var length = (factor * TapsPerPhase) - 1;
        var centre = (length - 1) / 2;
        var taps = new double[factor * TapsPerPhase];
        var i0Beta = BesselI0(KaiserBeta);
        for (var n = 0; n < length; n++)
        {
            var m = (double)(n - centre) / factor;
            var sinc = m == 0 ? 1.0 : Math.Sin(Math.PI * m) / (Math.PI * m);
            var r = (2.0 * n / (length - 1)) - 1.0;
            taps[n] = sinc * BesselI0(KaiserBeta * Math.Sqrt(Math.Max(0.0, 1.0 - (r * r)))) / i0Beta;
        }

        var coefficients = new float[factor * TapsPerPhase];
        for (var p = 0; p < factor; p++)
        {
            var sum = 0.0;
            for (var k = 0; k < TapsPerPhase; k++)
            {
                sum += taps[p + (k * factor)];
            }

            for (var k = 0; k < TapsPerPhase; k++)
            {
                coefficients[(p * TapsPerPhase) + k] = (float)(taps[p + (k * factor)] / sum);
            }
        }

        return coefficients;
    }

    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var q = x * x / 4.0;
        for (var k = 1; k < 64; k++)
        {
            term *= q / (k * k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
