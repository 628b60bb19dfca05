using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Friture.Streaming.Dsp.Fft;

namespace Friture.Streaming.Dsp.Pitch;

/// <summary>
/// YIN fundamental-frequency estimator (de Cheveigne and Kawahara, 2002): the period is found on a decimated copy of
/// the frame and then measured, refined and scored on the full-rate difference function around it.
/// </summary>
/// <remarks>
/// <para>
/// For lags <c>T</c> up to <see cref="MaxLag"/>, <c>d(T) = sum_{j &lt; W} (x_j - x_{j+T})^2</c> over the integration
/// window <see cref="IntegrationWindow"/> W, and the cumulative mean normalised difference is
/// <c>d'(T) = d(T) T / sum_{1..T} d</c>. The period is the lowest point of the first dip of <c>d'</c> below
/// <see cref="DipThreshold"/> between the lags of the maximum and minimum frequency, else the first dip within
/// <see cref="RelativeDipThreshold"/> of the global minimum (in noise no dip reaches the absolute threshold and every
/// multiple of the period dips about as low, so the global minimum alone picks a subharmonic in about 40 % of frames at
/// 0 dB SNR). It is refined by a least-squares parabola through <c>d</c>.
/// </para>
/// <para>
/// Confidence is YIN's <c>1 - d'</c> at that lag scaled by how unambiguous the period is: it falls to 0 when a
/// sub-multiple of the period dips nearly as low (a fundamental above the search range, whose multiples inside the
/// range dip to zero, or a subharmonic chosen in noise), or when a multiple dips clearly lower (an octave too high).
/// Sub-multiples shorter than a few decimated samples, which alias after decimation, are read from a full-rate scan of
/// the shortest lags over a short window, so tones up to the Nyquist frequency are recognised.
/// </para>
/// <para>
/// Two stages. (1) Search: the frame is reduced by <see cref="Decimation"/> (sums of D consecutive samples, a box
/// low-pass, taken from a prefix sum), and the first-dip rule runs on the decimated <c>d'</c>, whose <c>d</c> comes from
/// one small real-FFT cross-correlation of the first W/D samples with the whole decimated frame. (2) Measurement at the
/// full rate: <c>d(T)</c> is computed directly (vectorised) only at the lags needed: those around D times the decimated
/// lag, where the exact minimum of the full-rate <c>d'</c> is found (walking downhill if it lies at the edge), the
/// parabola windows, and the period-multiple window. <c>sum_{1..T} d</c> needs no other lag:
/// <c>sum_{u=1..T} d(u) = T e_0 + sum_{u=1..T} e_u - 2 sum_{j &lt; W} x_j (P_{j+T+1} - P_{j+1})</c> with window energies
/// <c>e</c> and the prefix sum <c>P</c> of the frame, so confidence and clarity are those of the full-rate YIN.
/// </para>
/// <para>Allocation: everything in the constructor; <see cref="Estimate"/> allocates nothing. Not thread-safe.</para>
/// </remarks>
internal sealed class YinPitchDetector
{
    /// <summary>Threshold on d' for the first-dip rule (YIN's absolute threshold).</summary>
    public const double DipThreshold = 0.2;

    /// <summary>
    /// Without a dip below <see cref="DipThreshold"/>, the first dip within this share of the way from the global
    /// minimum of d' to 1 is taken (in noise every multiple of the period dips about as low, and the global minimum
    /// picks one of them at random: a subharmonic).
    /// </summary>
    public const double RelativeDipThreshold = 0.2;

    /// <summary>The decimated rate must be at least this many times the highest fundamental.</summary>
    private const double RateOverMaxFrequency = 8;

    /// <summary>Integration window of the full-rate scan of lags below <see cref="MinLag"/>, in samples.</summary>
    private const int ShortWindow = 256;

    /// <summary>Sub-multiples of the period at most this many coarse samples long are read from the full-rate scan (a shorter period aliases after decimation).</summary>
    private const int CoarseShortestReliable = 8;

    /// <summary>Largest half-width of the refining parabola, in lags.</summary>
    private const int MaxRefineHalfWidth = 24;

    /// <summary>A sub-multiple whose d' is at most this much above d' at the period makes it fully ambiguous (confidence 0).</summary>
    private const double SubMarginNone = 0.05;

    /// <summary>A sub-multiple whose d' is at least this much above d' at the period leaves the confidence whole.</summary>
    private const double SubMarginFull = 0.25;

    /// <summary>A multiple whose d' is this much below d' at the period makes it fully ambiguous.</summary>
    private const double MultipleMarginNone = 0.25;

    /// <summary>A multiple whose d' is at most this much below d' at the period leaves the confidence whole.</summary>
    private const double MultipleMarginFull = 0.08;

    /// <summary>Most sub-multiples of the period examined.</summary>
    private const int MaxSubMultiple = 64;

    private readonly double _sampleRate;

    // Full rate.
    private readonly double[] _p1;
    private double _e0;
    private readonly double[] _d;
    private readonly int[] _dStamp;
    private int _stamp;

    // Decimated search.
    private readonly RealFft _fft;
    private readonly int _coarseLength;
    private readonly int _coarseWindow;
    private readonly int _coarseMinLag;
    private readonly int _coarseMaxLag;
    private readonly float[] _a;
    private readonly float[] _b;
    private readonly float[] _ar;
    private readonly float[] _ai;
    private readonly float[] _br;
    private readonly float[] _bi;
    private readonly float[] _r;
    private readonly double[] _cd;
    private readonly double[] _cRunning;

    // Full-rate scan of short lags (sub-multiples of the period that may lie above the search range).
    private readonly int _shortWindow;
    private readonly int _shortMaxLag;
    private readonly double[] _sd;
    private readonly double[] _sPrime;
    private readonly int _lagLimit;

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

        // Lags beyond MaxLag are measured (not searched) so that a period at the lower edge of the range is refined
        // over as many lags as one in the middle.
        _lagLimit = MaxLag + Math.Min(MaxRefineHalfWidth, MaxLag / 40) + 4;
        FrameLength = IntegrationWindow + _lagLimit + 1;

        var decimation = 4;
        while (decimation > 1 && (sampleRate / decimation < RateOverMaxFrequency * maxFrequencyHz || MinLag / decimation < 4))
        {
            decimation /= 2;
        }

        Decimation = decimation;
        _coarseLength = FrameLength / decimation;
        _coarseWindow = IntegrationWindow / decimation;
        _coarseMaxLag = Math.Min(_coarseLength - _coarseWindow, (MaxLag / decimation) + 2);
        _coarseMinLag = Math.Max(1, MinLag / decimation);
        var size = (int)Math.Max(RealFft.MinSize, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_coarseLength));
        _fft = new RealFft(size);
        _a = new float[size];
        _b = new float[size];
        _ar = new float[_fft.BinCount];
        _ai = new float[_fft.BinCount];
        _br = new float[_fft.BinCount];
        _bi = new float[_fft.BinCount];
        _r = new float[size];
        _cd = new double[_coarseMaxLag + 1];
        _cRunning = new double[_coarseMaxLag + 1];

        _p1 = new double[FrameLength + 1];
        _d = new double[_lagLimit + 2];
        _dStamp = new int[_lagLimit + 2];

        _shortWindow = Math.Min(ShortWindow, IntegrationWindow) & ~7;
        _shortMaxLag = ((Math.Min(MinLag + 2, (CoarseShortestReliable * decimation) + 2) + 3) / 4) * 4;
        _sd = new double[_shortMaxLag + 1];
        _sPrime = new double[_shortMaxLag + 1];
    }

    /// <summary>Smallest lag searched, in samples.</summary>
    public int MinLag { get; }

    /// <summary>Largest lag searched, in samples.</summary>
    public int MaxLag { get; }

    /// <summary>Integration window W in samples (at least <see cref="MaxLag"/> and 25 ms).</summary>
    public int IntegrationWindow { get; }

    /// <summary>Samples per analysis frame, <c>W + MaxLag + 1</c>.</summary>
    public int FrameLength { get; }

    /// <summary>Decimation of the search stage: 4, 2 or 1, the largest that keeps the decimated rate at least 8 times the highest fundamental.</summary>
    public int Decimation { get; }

    /// <summary>FFT size used for the decimated correlation.</summary>
    public int FftSize => _fft.Size;

    /// <summary>Analyses one frame.</summary>
    /// <param name="frame">Exactly <see cref="FrameLength"/> samples, oldest first.</param>
    /// <returns>The estimate.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public PitchEstimate Estimate(ReadOnlySpan<float> frame)
    {
        if (frame.Length != FrameLength)
        {
            throw new ArgumentException($"frame holds {frame.Length} samples; {FrameLength} are needed.", nameof(frame));
        }

        var w = IntegrationWindow;
        var e0 = SumSquares(frame[..w]);
        var rms = Math.Sqrt((e0 + SumSquares(frame[w..])) / frame.Length);
        if (e0 <= 1e-20 * w)
        {
            return new PitchEstimate(0, 0, 0, rms);
        }

        _e0 = e0;
        PrefixSum(frame, _p1);

        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_dStamp);
            _stamp = 1;
        }

        var coarse = SearchDecimated();

        // Exact full-rate minimum of d' around the decimated lag, walking downhill if it lies at an edge.
        var lo = Math.Clamp((coarse * Decimation) - Decimation, MinLag, MaxLag - 1);
        var hi = Math.Clamp((coarse * Decimation) + Decimation, MinLag, MaxLag - 1);
        Ensure(frame, lo, hi);
        var sumBefore = CumulativeDifference(frame, lo - 1);
        var best = lo;
        var bestPrime = double.MaxValue;
        var running = sumBefore;
        for (var tau = lo; tau <= hi; tau++)
        {
            running += _d[tau];
            var prime = running > 0 ? _d[tau] * tau / running : 1;
            if (prime < bestPrime)
            {
                bestPrime = prime;
                best = tau;
            }
        }

        var runningAtHi = running;
        while (best == lo && lo > MinLag)
        {
            // sumBefore is S(lo - 1), which is what d'(lo - 1) divides by; then S(lo - 2) = S(lo - 1) - d(lo - 1).
            lo--;
            Ensure(frame, lo - 3, lo);
            var prime = sumBefore > 0 ? _d[lo] * lo / sumBefore : 1;
            sumBefore -= _d[lo];
            if (prime < bestPrime)
            {
                bestPrime = prime;
                best = lo;
            }
            else
            {
                break;
            }
        }

        while (best == hi && hi < MaxLag - 1)
        {
            hi++;
            Ensure(frame, hi, hi);
            runningAtHi += _d[hi];
            var prime = runningAtHi > 0 ? _d[hi] * hi / runningAtHi : 1;
            if (prime < bestPrime)
            {
                bestPrime = prime;
                best = hi;
            }
            else
            {
                break;
            }
        }

        var lag = Refine(frame, best);

        // A periodic signal dips at every multiple of its period with the same noise in samples, so the dip at the
        // largest multiple k within reach gives the period k times more precisely (short periods gain the most).
        var multiple = (int)Math.Floor((_lagLimit - 3) / lag);
        if (multiple >= 2)
        {
            var centre = (int)Math.Round(multiple * lag);
            var from = Math.Max(2, centre - 2);
            var to = Math.Min(_lagLimit - 1, centre + 2);
            Ensure(frame, Math.Min(from, centre), Math.Max(to, centre));
            var at = centre;
            for (var tau = from; tau <= to; tau++)
            {
                if (_d[tau] < _d[at])
                {
                    at = tau;
                }
            }

            var refined = Refine(frame, at, narrow: true) / multiple;
            if (Math.Abs(refined - lag) < 0.25)
            {
                lag = refined;
            }
        }

        var eBest = SumSquares(frame.Slice(best, w));
        var clarity = Math.Clamp((e0 + eBest - _d[best]) / (e0 + eBest), 0, 1);
        var confidence = Math.Clamp(1 - bestPrime, 0, 1) * Unambiguity(frame, lag, bestPrime);
        return new PitchEstimate(_sampleRate / lag, confidence, clarity, rms);
    }

    // p[i] = sum of x[0 .. i); four samples per step keep the dependency chain short.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PrefixSum(ReadOnlySpan<float> x, double[] p)
    {
        var n = x.Length;
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var q = ref MemoryMarshal.GetArrayDataReference(p);
        q = 0;
        double sum = 0;
        var i = 0;
        for (; i + 4 <= n; i += 4)
        {
            double a0 = Unsafe.Add(ref px, i), a1 = Unsafe.Add(ref px, i + 1), a2 = Unsafe.Add(ref px, i + 2), a3 = Unsafe.Add(ref px, i + 3);
            var a01 = a0 + a1;
            var a012 = a01 + a2;
            Unsafe.Add(ref q, i + 1) = sum + a0;
            Unsafe.Add(ref q, i + 2) = sum + a01;
            Unsafe.Add(ref q, i + 3) = sum + a012;
            sum += a012 + a3;
            Unsafe.Add(ref q, i + 4) = sum;
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref px, i);
            Unsafe.Add(ref q, i + 1) = sum;
        }
    }

    // Sum of squares in double precision.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumSquares(ReadOnlySpan<float> x)
    {
        ref var px = ref MemoryMarshal.GetReference(x);
        var acc0 = Vector256<double>.Zero;
        var acc1 = Vector256<double>.Zero;
        var i = 0;
        for (; i + 8 <= x.Length; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref px, (nuint)i);
            var lo = Vector256.WidenLower(v);
            var hi = Vector256.WidenUpper(v);
            acc0 = Vector256.MultiplyAddEstimate(lo, lo, acc0);
            acc1 = Vector256.MultiplyAddEstimate(hi, hi, acc1);
        }

        var sum = Vector256.Sum(acc0 + acc1);
        for (; i < x.Length; i++)
        {
            double v = Unsafe.Add(ref px, i);
            sum += v * v;
        }

        return sum;
    }

    // First-dip rule on the decimated frame; returns the decimated lag.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SearchDecimated()
    {
        var dec = Decimation;
        var length = _coarseLength;
        var window = _coarseWindow;
        ref var p1 = ref MemoryMarshal.GetArrayDataReference(_p1);
        ref var b = ref MemoryMarshal.GetArrayDataReference(_b);
        for (var n = 0; n < length; n++)
        {
            Unsafe.Add(ref b, n) = (float)(Unsafe.Add(ref p1, (n + 1) * dec) - Unsafe.Add(ref p1, n * dec));
        }

        _b.AsSpan(0, window).CopyTo(_a); // the rest of _a stays zero
        _fft.Forward(_a, _ar, _ai);
        _fft.Forward(_b, _br, _bi);
        MultiplyConjugate(_ar, _ai, _br, _bi);
        _fft.Inverse(_ar, _ai, _r);

        // e_tau = sum_{j < window} b_{j + tau}^2, sliding; d'(tau) = d(tau) tau / sum_{1..tau} d.
        var e0 = SumSquares(_b.AsSpan(0, window));

        // d and its running sum; d'(tau) = d(tau) tau / running(tau) < threshold is tested without dividing.
        ref var cd = ref MemoryMarshal.GetArrayDataReference(_cd);
        ref var cRunning = ref MemoryMarshal.GetArrayDataReference(_cRunning);
        ref var r = ref MemoryMarshal.GetArrayDataReference(_r);
        var maxLag = _coarseMaxLag;
        var running = 0.0;
        var et = e0;
        for (var tau = 1; tau <= maxLag; tau++)
        {
            double leaving = Unsafe.Add(ref b, tau - 1);
            double entering = Unsafe.Add(ref b, tau - 1 + window);
            et += (entering * entering) - (leaving * leaving);
            var value = e0 + et - (2.0 * Unsafe.Add(ref r, tau));
            value = value > 0 ? value : 0;
            running += value;
            Unsafe.Add(ref cd, tau) = value;
            Unsafe.Add(ref cRunning, tau) = running;
        }

        // The global minimum of d' over the range, compared by cross-multiplication (no division per lag).
        var minLag = Math.Min(_coarseMinLag, maxLag - 1);
        var global = minLag;
        for (var tau = minLag + 1; tau < maxLag; tau++)
        {
            if (_cd[tau] * tau * _cRunning[global] < _cd[global] * global * _cRunning[tau])
            {
                global = tau;
            }
        }

        // The first dip below the absolute threshold or, failing one, below the threshold relative to the global minimum.
        var globalPrime = CoarsePrime(global);
        var threshold = Math.Max(DipThreshold, globalPrime + (RelativeDipThreshold * (1 - globalPrime)));
        for (var tau = minLag; tau < maxLag; tau++)
        {
            if (_cd[tau] * tau < threshold * _cRunning[tau])
            {
                // The lowest point of the whole dip, not the first local minimum: noise makes a broad dip jagged.
                var best = tau;
                var bestPrime = CoarsePrime(tau);
                while (tau + 1 < maxLag && _cd[tau + 1] * (tau + 1) < threshold * _cRunning[tau + 1])
                {
                    tau++;
                    var prime = CoarsePrime(tau);
                    if (prime < bestPrime)
                    {
                        best = tau;
                        bestPrime = prime;
                    }
                }

                return best;
            }
        }

        return global;
    }

    /// <summary>
    /// How unambiguous the period is, 0 to 1, which scales the confidence. A period T is ambiguous when a sub-multiple
    /// T/k dips nearly as low (the true period may be T/k: a subharmonic error in noise, or a fundamental above the
    /// search range, whose multiples inside the range dip to zero), or when a multiple kT dips clearly lower (the true
    /// period may be kT: an octave-too-high error).
    /// </summary>
    /// <remarks>
    /// d' at sub-multiples of at least <see cref="CoarseShortestReliable"/> decimated samples and at multiples is read
    /// from the decimated search, compared with d' there at the period; shorter sub-multiples (fundamentals up to the
    /// Nyquist frequency, which alias after decimation) from a full-rate scan of the short lags over
    /// <see cref="ShortWindow"/> samples, compared with the full-rate d' at the period.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Unambiguity(ReadOnlySpan<float> x, double lag, double prime)
    {
        var dec = Decimation;
        var coarse = lag / dec;
        var coarseAt = (int)Math.Round(coarse);
        if (coarseAt < 1 || coarseAt >= _coarseMaxLag)
        {
            return 1;
        }

        var coarsePrime = Math.Min(CoarsePrime(coarseAt), Math.Min(CoarsePrime(Math.Max(1, coarseAt - 1)), CoarsePrime(Math.Min(_coarseMaxLag - 1, coarseAt + 1))));

        // Sub-multiples: the smallest margin by which d' there exceeds d' at the period.
        var subMargin = double.MaxValue;
        var scanned = false;
        for (var k = 2; k <= MaxSubMultiple; k++)
        {
            var t = lag / k;
            if (t < 2)
            {
                break;
            }

            double margin;
            var tc = coarse / k;
            if (tc >= CoarseShortestReliable || dec == 1)
            {
                var lo = (int)Math.Floor(tc);
                margin = Math.Min(CoarsePrime(lo), CoarsePrime(Math.Min(lo + 1, _coarseMaxLag - 1))) - coarsePrime;
            }
            else
            {
                if (!scanned)
                {
                    ScanShortLags(x);
                    scanned = true;
                }

                var lo = (int)Math.Floor(t);
                if (lo + 1 > _shortMaxLag)
                {
                    continue;
                }

                margin = Math.Min(_sPrime[lo], _sPrime[lo + 1]) - prime;
            }

            subMargin = Math.Min(subMargin, margin);
        }

        // Multiples within the decimated search: by how much d' there falls below d' at the period.
        var multipleMargin = double.MaxValue;
        for (var k = 2; k <= 3; k++)
        {
            var tc = (int)Math.Round(coarse * k);
            if (tc + 1 >= _coarseMaxLag)
            {
                break;
            }

            var deepest = Math.Min(CoarsePrime(tc - 1), Math.Min(CoarsePrime(tc), CoarsePrime(tc + 1)));
            multipleMargin = Math.Min(multipleMargin, deepest - coarsePrime);
        }

        return Ramp(subMargin, SubMarginNone, SubMarginFull) * Ramp(multipleMargin, -MultipleMarginNone, -MultipleMarginFull);
    }

    // 0 at or below zeroAt, 1 at or above oneAt, linear between.
    private static double Ramp(double value, double zeroAt, double oneAt) => Math.Clamp((value - zeroAt) / (oneAt - zeroAt), 0, 1);

    // d and d' over the short window for lags 1 .. _shortMaxLag at the full rate.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanShortLags(ReadOnlySpan<float> x)
    {
        var w = _shortWindow;
        ref var a = ref MemoryMarshal.GetReference(x);
        var sd = _sd;
        for (var tau = 1; tau + 3 <= _shortMaxLag; tau += 4)
        {
            SquaredDifferencesFour(ref a, tau, w, sd);
        }

        var running = 0.0;
        var primes = _sPrime;
        for (var tau = 1; tau <= _shortMaxLag; tau++)
        {
            running += sd[tau];
            primes[tau] = running > 0 ? sd[tau] * tau / running : 1;
        }
    }

    private double CoarsePrime(int tau) => _cRunning[tau] > 0 ? _cd[tau] * tau / _cRunning[tau] : 1;

    // conj(A) B in place of A: the inverse gives r(T) = sum_j a_j b_{j+T}.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyConjugate(float[] ar, float[] ai, float[] br, float[] bi)
    {
        var n = ar.Length;
        ref var pa = ref MemoryMarshal.GetArrayDataReference(ar);
        ref var qa = ref MemoryMarshal.GetArrayDataReference(ai);
        ref var pb = ref MemoryMarshal.GetArrayDataReference(br);
        ref var qb = ref MemoryMarshal.GetArrayDataReference(bi);
        var k = 0;
        for (; k + Vector256<float>.Count <= n; k += Vector256<float>.Count)
        {
            var at = (nuint)k;
            var a = Vector256.LoadUnsafe(ref pa, at);
            var c = Vector256.LoadUnsafe(ref qa, at);
            var e = Vector256.LoadUnsafe(ref pb, at);
            var f = Vector256.LoadUnsafe(ref qb, at);
            ((a * e) + (c * f)).StoreUnsafe(ref pa, at);
            ((a * f) - (c * e)).StoreUnsafe(ref qa, at);
        }

        for (; k < n; k++)
        {
            var re = (ar[k] * br[k]) + (ai[k] * bi[k]);
            var im = (ar[k] * bi[k]) - (ai[k] * br[k]);
            ar[k] = re;
            ai[k] = im;
        }
    }

    // sum_{u=1..T} d(u) = T e_0 + sum_{u=1..T} e_u - 2 sum_{u=1..T} r(u), where
    // sum_{u=1..T} e_u = sum_{i=1..T+W-1} x_i^2 c_i with c_i = min(T, i) - max(1, i - W + 1) + 1 (the number of windows
    // holding sample i) and sum_{u=1..T} r(u) = sum_{j<W} x_j (P_{j+T+1} - P_{j+1}).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double CumulativeDifference(ReadOnlySpan<float> x, int t)
    {
        if (t <= 0)
        {
            return 0;
        }

        var w = IntegrationWindow;
        ref var px = ref MemoryMarshal.GetReference(x);
        var count = t + w - 1;
        var vt = Vector256.Create((double)t);
        var one = Vector256<double>.One;
        var shift = Vector256.Create((double)(1 - w));
        var idx = Vector256.Create(1.0, 2.0, 3.0, 4.0);
        var four = Vector256.Create(4.0);
        var e0 = Vector256<double>.Zero;
        var e1 = Vector256<double>.Zero;
        var i = 1;
        for (; i + 8 <= count + 1; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref px, (nuint)i);
            var lo = Vector256.WidenLower(v);
            var hi = Vector256.WidenUpper(v);
            var idx2 = idx + four;
            var c0 = Vector256.MinNative(vt, idx) - Vector256.MaxNative(one, idx + shift) + one;
            var c1 = Vector256.MinNative(vt, idx2) - Vector256.MaxNative(one, idx2 + shift) + one;
            e0 = Vector256.MultiplyAddEstimate(lo * lo, c0, e0);
            e1 = Vector256.MultiplyAddEstimate(hi * hi, c1, e1);
            idx = idx2 + four;
        }

        var energy = Vector256.Sum(e0 + e1);
        for (; i <= count; i++)
        {
            double v = Unsafe.Add(ref px, i);
            energy += v * v * (Math.Min(t, i) - Math.Max(1, i - w + 1) + 1);
        }

        ref var p1 = ref MemoryMarshal.GetArrayDataReference(_p1);
        var acc0 = Vector256<double>.Zero;
        var acc1 = Vector256<double>.Zero;
        ref var late = ref Unsafe.Add(ref p1, t + 1);
        ref var early = ref Unsafe.Add(ref p1, 1);
        var j = 0;
        for (; j + 8 <= w; j += 8)
        {
            var at = (nuint)j;
            var v = Vector256.LoadUnsafe(ref px, at);
            acc0 = Vector256.MultiplyAddEstimate(Vector256.WidenLower(v), Vector256.LoadUnsafe(ref late, at) - Vector256.LoadUnsafe(ref early, at), acc0);
            acc1 = Vector256.MultiplyAddEstimate(Vector256.WidenUpper(v), Vector256.LoadUnsafe(ref late, at + 4) - Vector256.LoadUnsafe(ref early, at + 4), acc1);
        }

        var cross = Vector256.Sum(acc0 + acc1);
        for (; j < w; j++)
        {
            cross += Unsafe.Add(ref px, j) * (Unsafe.Add(ref late, j) - Unsafe.Add(ref early, j));
        }

        return (t * _e0) + energy - (2 * cross);
    }

    // Makes d(tau) available in _d for tau in from .. to, four lags at a time (a lag computed twice gets the same value).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Ensure(ReadOnlySpan<float> x, int from, int to)
    {
        var stamp = _stamp;
        var stamps = _dStamp;
        for (var tau = Math.Max(1, from); tau <= to; tau++)
        {
            if (stamps[tau] != stamp)
            {
                var group = Math.Min(tau, _lagLimit - 3);
                DifferenceFour(x, group);
                stamps[group] = stamp;
                stamps[group + 1] = stamp;
                stamps[group + 2] = stamp;
                stamps[group + 3] = stamp;
                tau = group + 3;
            }
        }
    }

    // d(tau .. tau + 3) = sum_{j < W} (x_j - x_{j + tau + k})^2 into _d.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DifferenceFour(ReadOnlySpan<float> x, int tau) =>
        SquaredDifferencesFour(ref MemoryMarshal.GetReference(x), tau, IntegrationWindow, _d);

    // destination[tau + k] = sum_{j < w} (x_j - x_{j + tau + k})^2 for k = 0 .. 3 (x starting at a): one vector
    // accumulator per lag sharing the loads of x_j, and the part of w beyond a multiple of 8 summed in double. The one
    // kernel behind the full-window difference (DifferenceFour) and the short-window scan (ScanShortLags).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SquaredDifferencesFour(ref float a, int tau, int w, double[] destination)
    {
        ref var b = ref Unsafe.Add(ref a, tau);
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var acc2 = Vector256<float>.Zero;
        var acc3 = Vector256<float>.Zero;
        var j = 0;
        for (; j + 8 <= w; j += 8)
        {
            var at = (nuint)j;
            var v = Vector256.LoadUnsafe(ref a, at);
            var d0 = v - Vector256.LoadUnsafe(ref b, at);
            var d1 = v - Vector256.LoadUnsafe(ref b, at + 1);
            var d2 = v - Vector256.LoadUnsafe(ref b, at + 2);
            var d3 = v - Vector256.LoadUnsafe(ref b, at + 3);
            acc0 = Vector256.MultiplyAddEstimate(d0, d0, acc0);
            acc1 = Vector256.MultiplyAddEstimate(d1, d1, acc1);
            acc2 = Vector256.MultiplyAddEstimate(d2, d2, acc2);
            acc3 = Vector256.MultiplyAddEstimate(d3, d3, acc3);
        }

        double s0 = Sum(acc0), s1 = Sum(acc1), s2 = Sum(acc2), s3 = Sum(acc3);
        for (; j < w; j++)
        {
            double v = Unsafe.Add(ref a, j);
            double d0 = v - Unsafe.Add(ref b, j);
            double d1 = v - Unsafe.Add(ref b, j + 1);
            double d2 = v - Unsafe.Add(ref b, j + 2);
            double d3 = v - Unsafe.Add(ref b, j + 3);
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }

        destination[tau] = s0;
        destination[tau + 1] = s1;
        destination[tau + 2] = s2;
        destination[tau + 3] = s3;
    }

    private static double Sum(Vector256<float> v)
    {
        var lo = Vector256.WidenLower(v);
        var hi = Vector256.WidenUpper(v);
        return Vector256.Sum(lo + hi);
    }

    // Least-squares parabola through d over +-h lags around an integer minimum (h grows with the lag, since a dip's
    // width scales with the period, and averages the noise of a broad dip); d is used rather than d', whose lag factor
    // shifts the minimum. With h = 1 this is the usual three-point interpolation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Refine(ReadOnlySpan<float> x, int at, bool narrow = false)
    {
        var h = narrow ? 1 : Math.Clamp(at / 40, 1, MaxRefineHalfWidth);
        if (at - h < 1 || at + h > _lagLimit - 1)
        {
            h = 1;
            if (at < 2 || at + 1 > _lagLimit - 1)
            {
                return at;
            }
        }

        Ensure(x, at - h, at + h);
        var d = _d;
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
}
