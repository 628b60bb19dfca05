using Friture.Streaming.Dsp.Fft;

namespace Friture.Streaming.Dsp.Pitch;

/// <summary>
/// YIN fundamental-frequency estimator (de Cheveigne and Kawahara, 2002) with the difference function computed through
/// one real FFT cross-correlation.
/// </summary>
/// <remarks>
/// <para>
/// For lags <c>T</c> up to <see cref="MaxLag"/>, <c>d(T) = sum_{j &lt; W} (x_j - x_{j+T})^2 = e_0 + e_T - 2 r(T)</c>
/// where <c>r</c> is the cross-correlation of the first <see cref="IntegrationWindow"/> samples with the whole frame
/// (one forward FFT of each, one inverse) and <c>e</c> are window energies from a prefix sum. The cumulative mean
/// normalised difference <c>d'(T) = d(T) T / sum_{1..T} d</c> is searched between the lags of the maximum and minimum
/// frequency: the first lag where <c>d'</c> dips below <see cref="DipThreshold"/> (then down to its local minimum),
/// else the global minimum, which avoids octave-too-low errors. The lag is refined by parabolic interpolation of
/// <c>d</c> and the estimate's confidence is <c>1 - d'</c> at that lag (YIN's aperiodicity).
/// </para>
/// <para>Allocation: everything in the constructor; <see cref="Estimate"/> allocates nothing. Not thread-safe.</para>
/// </remarks>
internal sealed class YinPitchDetector
{
    /// <summary>Threshold on d' for the first-dip rule (YIN's absolute threshold).</summary>
    public const double DipThreshold = 0.2;

    private readonly RealFft _fft;
    private readonly float[] _a;
    private readonly float[] _b;
    private readonly float[] _ar;
    private readonly float[] _ai;
    private readonly float[] _br;
    private readonly float[] _bi;
    private readonly float[] _r;
    private readonly double[] _prefix;
    private readonly double[] _d;
    private readonly double[] _dPrime;
    private readonly double _sampleRate;

    /// <summary>Creates a detector.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="minFrequencyHz">Lowest fundamental in Hz.</param>
    /// <param name="maxFrequencyHz">Highest fundamental in Hz.</param>
    public YinPitchDetector(double sampleRate, double minFrequencyHz, double maxFrequencyHz)
    {
        _sampleRate = sampleRate;
        MinLag = Math.Max(2, (int)Math.Floor(sampleRate / maxFrequencyHz) - 1);
        MaxLag = (int)Math.Ceiling(sampleRate / minFrequencyHz) + 2;
        IntegrationWindow = Math.Max(MaxLag, (int)Math.Round(0.025 * sampleRate));
        FrameLength = IntegrationWindow + MaxLag + 1;
        var size = (int)Math.Max(RealFft.MinSize, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)FrameLength));
        _fft = new RealFft(size);
        _a = new float[size];
        _b = new float[size];
        _ar = new float[_fft.BinCount];
        _ai = new float[_fft.BinCount];
        _br = new float[_fft.BinCount];
        _bi = new float[_fft.BinCount];
        _r = new float[size];
        _prefix = new double[FrameLength + 1];
        _d = new double[MaxLag + 2];
        _dPrime = new double[MaxLag + 2];
    }

    /// <summary>Smallest lag searched, in samples.</summary>
    public int MinLag { get; }

    /// <summary>Largest lag searched, in samples.</summary>
    public int MaxLag { get; }

    /// <summary>Integration window W in samples (at least <see cref="MaxLag"/> and 25 ms).</summary>
    public int IntegrationWindow { get; }

    /// <summary>Samples per analysis frame, <c>W + MaxLag + 1</c>.</summary>
    public int FrameLength { get; }

    /// <summary>FFT size used for the correlation.</summary>
    public int FftSize => _fft.Size;

    /// <summary>Analyses one frame.</summary>
    /// <param name="frame">Exactly <see cref="FrameLength"/> samples, oldest first.</param>
    /// <returns>The estimate.</returns>
    public PitchEstimate Estimate(ReadOnlySpan<float> frame)
    {
        if (frame.Length != FrameLength)
        {
            throw new ArgumentException($"frame holds {frame.Length} samples; {FrameLength} are needed.", nameof(frame));
        }

        var w = IntegrationWindow;
        var prefix = _prefix;
        prefix[0] = 0;
        for (var i = 0; i < frame.Length; i++)
        {
            prefix[i + 1] = prefix[i] + ((double)frame[i] * frame[i]);
        }

        var rms = Math.Sqrt(prefix[frame.Length] / frame.Length);
        var e0 = prefix[w];
        if (e0 <= 1e-20 * w)
        {
            return new PitchEstimate(0, 0, 0, rms);
        }

        _a.AsSpan().Clear();
        _b.AsSpan().Clear();
        frame[..w].CopyTo(_a);
        frame.CopyTo(_b);
        _fft.Forward(_a, _ar, _ai);
        _fft.Forward(_b, _br, _bi);
        for (var k = 0; k < _ar.Length; k++)
        {
            // conj(A) B: the inverse gives r(T) = sum_j a_j b_{j+T}.
            var re = (_ar[k] * _br[k]) + (_ai[k] * _bi[k]);
            var im = (_ar[k] * _bi[k]) - (_ai[k] * _br[k]);
            _ar[k] = re;
            _ai[k] = im;
        }

        _fft.Inverse(_ar, _ai, _r);

        var d = _d;
        var dPrime = _dPrime;
        d[0] = 0;
        dPrime[0] = 1;
        var running = 0.0;
        for (var tau = 1; tau <= MaxLag; tau++)
        {
            var et = prefix[tau + w] - prefix[tau];
            var value = Math.Max(0, e0 + et - (2.0 * _r[tau]));
            d[tau] = value;
            running += value;
            dPrime[tau] = running > 0 ? value * tau / running : 1;
        }

        var best = -1;
        for (var tau = MinLag; tau < MaxLag; tau++)
        {
            if (dPrime[tau] < DipThreshold)
            {
                // The lowest point of the whole dip, not the first local minimum: noise makes a broad dip jagged.
                best = tau;
                while (tau + 1 < MaxLag && dPrime[tau + 1] < DipThreshold)
                {
                    tau++;
                    if (dPrime[tau] < dPrime[best])
                    {
                        best = tau;
                    }
                }

                break;
            }
        }

        if (best < 0)
        {
            best = MinLag;
            for (var tau = MinLag + 1; tau < MaxLag; tau++)
            {
                if (dPrime[tau] < dPrime[best])
                {
                    best = tau;
                }
            }
        }

        var lag = Refine(d, best);

        // A periodic signal dips at every multiple of its period with the same noise in samples, so the dip at the
        // largest multiple k within reach gives the period k times more precisely (short periods gain the most).
        var multiple = (int)Math.Floor((MaxLag - 3) / lag);
        if (multiple >= 2)
        {
            var centre = (int)Math.Round(multiple * lag);
            var at = centre;
            for (var tau = Math.Max(2, centre - 2); tau <= Math.Min(MaxLag - 1, centre + 2); tau++)
            {
                if (d[tau] < d[at])
                {
                    at = tau;
                }
            }

            var refined = Refine(d, at) / multiple;
            if (Math.Abs(refined - lag) < 0.25)
            {
                lag = refined;
            }
        }

        var etBest = prefix[best + w] - prefix[best];
        return Finish(lag, best, e0, etBest, rms);
    }

    // Least-squares parabola through d over +-h lags around an integer minimum (h grows with the lag, since a dip's
    // width scales with the period, and averages the noise of a broad dip); d is used rather than d', whose lag factor
    // shifts the minimum. With h = 1 this is the usual three-point interpolation.
    private double Refine(double[] d, int at)
    {
        var h = Math.Clamp(at / 40, 1, 24);
        if (at - h < 1 || at + h > MaxLag)
        {
            h = 1;
            if (at < 2 || at + 1 > MaxLag)
            {
                return at;
            }
        }

        double s0 = 0, s2 = 0, s4 = 0, sy = 0, siy = 0, si2y = 0;
        for (var i = -h; i <= h; i++)
        {
            var y = d[at + i];
            double i2 = i * i;
            s0++;
            s2 += i2;
            s4 += i2 * i2;
            sy += y;
            siy += i * y;
            si2y += i2 * y;
        }

        var b = siy / s2;
        var a = ((s0 * si2y) - (s2 * sy)) / ((s0 * s4) - (s2 * s2));
        if (a <= 0)
        {
            return at;
        }

        var delta = -b / (2 * a);
        return Math.Abs(delta) <= h ? at + delta : at;
    }

    private PitchEstimate Finish(double lag, int best, double e0, double etBest, double rms)
    {
        var dPrime = _dPrime;
        var clarity = Math.Clamp(2.0 * _r[best] / (e0 + etBest), 0, 1);
        var confidence = Math.Clamp(1 - dPrime[best], 0, 1);
        return new PitchEstimate(_sampleRate / lag, confidence, clarity, rms);
    }
}
