using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Friture.Streaming.Dsp.Fft;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Dsp.Delay;

/// <summary>
/// Delay between two signals by the generalised cross-correlation with phase transform (GCC-PHAT, Knapp and Carter
/// 1976), frame by frame, with optional decimation for long delay ranges.
/// </summary>
/// <remarks>
/// <para>
/// Both inputs are decimated by <see cref="Decimation"/> (1, 2, 4, 8 or 16: the smallest that keeps the FFT within 65536
/// points) after a linear-phase FIR low-pass (Kaiser-windowed sinc, <see cref="AntiAliasTaps"/> taps, flat to a quarter of
/// the decimated rate and at least 80 dB down from three quarters of it, which is where the aliases that would land in
/// the analysed band come from); only the kept outputs are computed. Frames of <see cref="FrameLength"/> decimated
/// samples (twice the longest lag, at least 4096) are Hann-windowed and transformed; the auto- and cross-spectra are
/// averaged exponentially (weight <see cref="SmoothingWeight"/> for the newest frame, as Friture averages its
/// correlations), and each bin of the cross-spectrum enters with unit magnitude (the phase transform, PHAT) times a
/// weight from its magnitude-squared coherence (the part above what unrelated signals show, squared), so that bins
/// holding only noise, such as those above a speech signal's band, no longer weigh as much as the signal's (plain PHAT
/// put speech delays 1 to 2 samples off at 100 ms range). The inverse transform is the correlation, whose peak within
/// +-<see cref="MaxLag"/> gives the delay, refined by parabolic interpolation. The confidence is the lowest of the
/// peak's margin over the rest of the correlation, over an opposite-sign lobe next to it and over the level unrelated
/// signals reach (rescaled so that a margin of 0.35 or less gives 0, 0.5 or more itself), and the precision of the
/// interpolated peak; it starts at 0 on the first frame.
/// </para>
/// <para>
/// Cost per frame: two forward real FFTs and one inverse. (Packing both channels into one complex transform would not
/// save anything here: a real FFT of N points already costs one complex FFT of N/2.)
/// </para>
/// <para>Allocation: everything in the constructor; <see cref="Write"/>, <see cref="WriteFrames"/> and
/// <see cref="Compute"/> allocate nothing.</para>
/// </remarks>
internal sealed class GccPhatEstimator
{
    /// <summary>Weight of the newest correlation in the exponential average (Friture: 0.3).</summary>
    public const float SmoothingWeight = 0.3f;

    /// <summary>Anti-alias FIR taps per unit of decimation (rounded up to a multiple of 8).</summary>
    private const int TapsPerDecimation = 12;

    /// <summary>Kaiser shape of the anti-alias FIR (about 85 dB stop band).</summary>
    private const double KaiserBeta = 8.4;

    private const int MaxFft = 65536;

    /// <summary>Estimated spread of the interpolated delay, in input samples, at which the confidence reaches 0.</summary>
    private const double SpreadForNoConfidence = 0.8;

    /// <summary>
    /// Margin of the peak (the lowest of the three margins of <see cref="Compute"/>) at and below which the confidence is
    /// 0; from it to <see cref="MarginAtFaceValue"/> the confidence rises linearly to 0.5, and above it equals the margin.
    /// On espeak-ng speech at 0 and 10 dB SNR (ranges 10 to 1000 ms, two noise seeds, 29,492 estimates) every estimate
    /// more than 1 sample off had a margin of 0.42 or less, most 0.30 to 0.35: taken at face value they read as
    /// confidence 0.30 to 0.42. With this scale they read at most 0.22, and a confidence of 0.3 needs a margin of 0.44.
    /// </summary>
    private const double MarginForNoConfidence = 0.35;

    /// <summary>Margin from which the confidence equals the margin (see <see cref="MarginForNoConfidence"/>).</summary>
    private const double MarginAtFaceValue = 0.5;

    /// <summary>Frames averaged before the confidence is taken at face value (it rises linearly to it from 0 at the first).</summary>
    private const int FramesToTrust = 3;

    /// <summary>Expected magnitude-squared coherence of unrelated signals under the exponential average, a / (2 - a).</summary>
    private const float CoherenceBias = SmoothingWeight / (2 - SmoothingWeight);

    /// <summary>
    /// Shortest frame in decimated samples (85 ms at 48 kHz without decimation): speech needs several pitch periods and
    /// a delay well inside the frame for its correlation to stand out.
    /// </summary>
    private const int MinFrameLength = 4096;

    /// <summary>Input frames deinterleaved into the anti-alias history at a time.</summary>
    private const int Chunk = 2048;

    private readonly float[] _taps = [];
    private readonly float[] _in1 = [];
    private readonly float[] _in2 = [];
    private readonly float[] _ring1;
    private readonly float[] _ring2;
    private readonly float[] _window;
    private readonly float[] _x;
    private readonly float[] _r1;
    private readonly float[] _i1;
    private readonly float[] _r2;
    private readonly float[] _i2;
    private readonly float[] _cr;
    private readonly float[] _ci;
    private readonly float[] _corr;
    private readonly float[] _smoothed;
    private readonly float[] _s11;
    private readonly float[] _s22;
    private readonly float[] _s12r;
    private readonly float[] _s12i;
    private readonly RealFft _fft;
    private readonly int _bandLimitBin;
    private int _inCount;
    private int _write;
    private long _filled;
    private int _phase;
    private bool _primed;
    private int _framesAveraged;

    /// <summary>Creates an estimator.</summary>
    /// <param name="sampleRate">Input sample rate in Hz.</param>
    /// <param name="maxDelaySamples">Largest delay to look for, in input samples (either sign).</param>
    public GccPhatEstimator(int sampleRate, int maxDelaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelaySamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        Decimation = 1;
        while (Decimation < 16 && 4L * ((maxDelaySamples + Decimation - 1) / Decimation) > MaxFft)
        {
            Decimation *= 2;
        }

        MaxLag = (maxDelaySamples + Decimation - 1) / Decimation;
        FrameLength = Math.Max(MinFrameLength, 2 * MaxLag);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * FrameLength));
        if (size > MaxFft)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelaySamples), maxDelaySamples,
                $"a delay range of {maxDelaySamples} samples needs an FFT larger than {MaxFft} points.");
        }

        _fft = new RealFft(size);
        if (Decimation > 1)
        {
            _taps = DesignAntiAlias(Decimation);
            _in1 = new float[_taps.Length - 1 + Chunk];
            _in2 = new float[_taps.Length - 1 + Chunk];
            _inCount = _taps.Length - 1;
        }

        _bandLimitBin = Decimation > 1 ? size / 4 : size / 2;
        _ring1 = new float[FrameLength];
        _ring2 = new float[FrameLength];
        _window = Window.Create(WindowType.Hann, FrameLength);
        _x = new float[size];
        _r1 = new float[_fft.BinCount];
        _i1 = new float[_fft.BinCount];
        _r2 = new float[_fft.BinCount];
        _i2 = new float[_fft.BinCount];
        _cr = new float[_fft.BinCount];
        _ci = new float[_fft.BinCount];
        _corr = new float[size];
        _smoothed = new float[size];
        _s11 = new float[_fft.BinCount];
        _s22 = new float[_fft.BinCount];
        _s12r = new float[_fft.BinCount];
        _s12i = new float[_fft.BinCount];
        Hop = FrameLength / 2;
    }

    /// <summary>Decimation factor applied before correlating.</summary>
    public int Decimation { get; }

    /// <summary>Number of taps of the anti-alias FIR (0 without decimation).</summary>
    public int AntiAliasTaps => _taps.Length;

    /// <summary>Largest lag searched, in decimated samples.</summary>
    public int MaxLag { get; }

    /// <summary>Frame length in decimated samples.</summary>
    public int FrameLength { get; }

    /// <summary>Decimated samples between frames (half a frame).</summary>
    public int Hop { get; }

    /// <summary>Decimated samples written since the last frame.</summary>
    public int SinceFrame { get; private set; }

    /// <summary>Whether a full frame has been seen and <see cref="Hop"/> samples arrived since the last <see cref="Compute"/>.</summary>
    public bool FrameReady => _filled >= FrameLength && SinceFrame >= Hop;

    /// <summary>Adds one input-rate sample of each signal.</summary>
    /// <param name="first">Sample of the reference signal.</param>
    /// <param name="second">Sample of the delayed signal.</param>
    /// <returns>Whether a decimated sample was stored.</returns>
    public bool Write(float first, float second)
    {
        if (Decimation == 1)
        {
            Store(first, second);
            return true;
        }

        if (_inCount == _in1.Length)
        {
            ShiftHistory();
        }

        _in1[_inCount] = first;
        _in2[_inCount] = second;
        _inCount++;
        if (++_phase < Decimation)
        {
            return false;
        }

        _phase = 0;
        FilterAt(_inCount - 1);
        return true;
    }

    /// <summary>
    /// Adds interleaved frames until a frame of analysis becomes ready (check <see cref="FrameReady"/>) or the input
    /// ends. The block counterpart of <see cref="Write"/>.
    /// </summary>
    /// <param name="interleaved">Interleaved samples.</param>
    /// <param name="channels">Channel count.</param>
    /// <param name="first">0-based index of the reference channel.</param>
    /// <param name="second">0-based index of the delayed channel.</param>
    /// <returns>The number of frames consumed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int WriteFrames(ReadOnlySpan<float> interleaved, int channels, int first, int second)
    {
        var frames = interleaved.Length / channels;
        var consumed = 0;
        while (consumed < frames)
        {
            // Decimated samples still to store before the next frame is ready (at least one, as in Write).
            var need = Math.Max(1, Math.Max(FrameLength - _filled, Hop - SinceFrame));
            var untilReady = Decimation - _phase + ((need - 1) * Decimation);
            int n;
            if (Decimation == 1)
            {
                n = (int)Math.Min(Math.Min(frames - consumed, untilReady), FrameLength - _write);
                Deinterleave(interleaved, channels, first, second, consumed, n, _ring1.AsSpan(_write), _ring2.AsSpan(_write));
                _write = _write + n == FrameLength ? 0 : _write + n;
                _filled += n;
                SinceFrame += n;
            }
            else
            {
                if (_inCount == _in1.Length)
                {
                    ShiftHistory();
                }

                n = (int)Math.Min(Math.Min(frames - consumed, untilReady), _in1.Length - _inCount);
                var start = _inCount;
                Deinterleave(interleaved, channels, first, second, consumed, n, _in1.AsSpan(start), _in2.AsSpan(start));
                _inCount += n;
                var q = start - 1 + Decimation - _phase;
                for (; q + (3 * Decimation) < _inCount; q += 4 * Decimation)
                {
                    FilterFour(q);
                }

                for (; q < _inCount; q += Decimation)
                {
                    FilterAt(q);
                }

                _phase = (_phase + n) % Decimation;
            }

            consumed += n;
            if (FrameReady)
            {
                break;
            }
        }

        return consumed;
    }

    /// <summary>Correlates the latest frame and returns the (smoothed) delay estimate.</summary>
    /// <returns>The estimate.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DelayEstimate Compute()
    {
        SinceFrame = 0;
        Transform(_ring1, _r1, _i1);
        Transform(_ring2, _r2, _i2);
        var weights = CoherenceTransform();
        _primed = true;
        _framesAveraged = Math.Min(_framesAveraged + 1, FramesToTrust);
        _fft.Inverse(_cr, _ci, _corr);

        // Normalise so that a pure delay peaks near 1: the inverse divides by N, and each bin contributes its weight.
        // Only lags within +-MaxLag are ever read, so only they are kept.
        var scale = weights > 0 ? (float)(_fft.Size / (2 * weights)) : 0f;
        var size = _corr.Length;
        Scale(0, MaxLag + 1, scale);
        Scale(size - MaxLag, MaxLag, scale);

        // Peak of |r| over lags -MaxLag..MaxLag (negative lags wrap to the end), the first one on ties.
        var maxNegative = MaxAbs(size - MaxLag, MaxLag);
        var maxPositive = MaxAbs(0, MaxLag + 1);
        var bestAbs = MathF.Max(maxNegative, maxPositive);
        var bestLag = maxNegative >= maxPositive
            ? FirstAbsEqual(size - MaxLag, MaxLag, bestAbs) - size
            : FirstAbsEqual(0, MaxLag + 1, bestAbs);

        // Largest value outside the main lobe (+-4 decimated samples) for the confidence.
        var lobeLow = Math.Max(-MaxLag, bestLag - 4);
        var lobeHigh = Math.Min(MaxLag, bestLag + 4);
        var second = MathF.Max(MaxAbsLags(-MaxLag, lobeLow - 1), MaxAbsLags(lobeHigh + 1, MaxLag));

        var peak = At(bestLag);
        var delta = 0.0;
        var curvature = 0.0;
        if (bestLag > -MaxLag && bestLag < MaxLag)
        {
            var y0 = Math.Abs(At(bestLag - 1));
            var y1 = Math.Abs(peak);
            var y2 = Math.Abs(At(bestLag + 1));
            var denominator = y0 - (2 * y1) + y2;
            if (denominator < 0)
            {
                delta = Math.Clamp(0.5 * (y0 - y2) / denominator, -0.5, 0.5);
                curvature = -denominator;
            }
        }

        // Confidence: the lowest of (1) the peak's margin over the largest value outside its main lobe, (2) its margin
        // over the largest value of the opposite sign inside the main lobe (a narrow-band weighted spectrum, such as
        // speech's, makes the correlation oscillate, and noise can then flip the peak by half a period: a wrong delay of
        // a sample or two with the wrong polarity), and (3) its height above the largest value unrelated signals would
        // give, sqrt(2 ln(lags)) times the correlation's RMS.
        var confidence = 0.0;
        if (bestAbs > 0)
        {
            var sign = peak >= 0 ? 1f : -1f;
            var opposite = 0f;
            for (var lag = lobeLow; lag <= lobeHigh; lag++)
            {
                opposite = MathF.Max(opposite, -sign * At(lag));
            }

            var lags = (2 * MaxLag) + 1;
            var rms = Math.Sqrt((SumSquares(0, MaxLag + 1) + SumSquares(size - MaxLag, MaxLag)) / lags);
            var chance = 1.25 * Math.Sqrt(2 * Math.Log(lags)) * rms;
            var outside = 1 - (second / bestAbs);
            var inside = 1 - (opposite / bestAbs);
            var aboveChance = (bestAbs - chance) / bestAbs;

            // (4) The precision of the interpolated peak: noise of the correlation's RMS on the three points moves the
            // vertex of the parabola by about rms / (sqrt(2) curvature) lags; a broad peak (a narrow-band source) in
            // noise cannot give a delay within a sample.
            var spread = curvature > 0 ? rms / (Math.Sqrt(2) * curvature) * Decimation : double.PositiveInfinity;
            var precise = 1 - (spread / SpreadForNoConfidence);
            // The margins (1) to (3), rescaled below MarginAtFaceValue (a margin of 0.3 to 0.42 is not enough on speech,
            // where it let 8 of about 5,000 estimates through 1 to 2 samples off at confidence 0.30 to 0.39), and the
            // precision (4): the lowest of them.
            var margin = Math.Min(outside, Math.Min(inside, aboveChance));
            var scaled = margin >= MarginAtFaceValue
                ? margin
                : MarginAtFaceValue * Math.Max(0, margin - MarginForNoConfidence) / (MarginAtFaceValue - MarginForNoConfidence);
            confidence = Math.Clamp(Math.Min(scaled, precise), 0, 1);

            // The coherence weights need a few frames: one frame alone has a coherence of 1 in every bin (plain PHAT,
            // where bins holding only noise weigh as much as the signal's), so the first frames are not trusted.
            confidence *= Math.Min(1.0, (_framesAveraged - 1) / (double)(FramesToTrust - 1));
        }
        return new DelayEstimate((bestLag + delta) * Decimation, Math.Clamp(peak, -1, 1), confidence);
    }

    /// <summary>Clears the history.</summary>
    public void Reset()
    {
        Array.Clear(_in1);
        Array.Clear(_in2);
        Array.Clear(_ring1);
        Array.Clear(_ring2);
        Array.Clear(_smoothed);
        Array.Clear(_s11);
        Array.Clear(_s22);
        Array.Clear(_s12r);
        Array.Clear(_s12i);
        _inCount = Math.Max(0, _taps.Length - 1);
        _write = 0;
        _filled = 0;
        _phase = 0;
        SinceFrame = 0;
        _primed = false;
        _framesAveraged = 0;
    }

    /// <summary>
    /// The anti-alias low-pass for decimation by <paramref name="decimation"/>: a Kaiser-windowed sinc cut at the
    /// decimated Nyquist frequency, <c>12 D</c> taps (a multiple of 8), unit gain at DC. Its transition band runs from a
    /// quarter to three quarters of the decimated rate: flat where the analysed band is, at least 80 dB down where the
    /// frequencies that would alias into it start.
    /// </summary>
    /// <param name="decimation">Decimation factor, 2 or more.</param>
    /// <returns>The symmetric taps.</returns>
    internal static float[] DesignAntiAlias(int decimation)
    {
        var count = ((TapsPerDecimation * decimation) + 7) & ~7;
        var taps = new double[count];
        var centre = (count - 1) / 2.0;
        var cutoff = 0.5 / decimation;
        var i0Beta = BesselI0(KaiserBeta);
        var sum = 0.0;
        for (var k = 0; k < count; k++)
        {
            var t = k - centre;
            var sinc = Math.Sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            var r = t / (centre + 0.5);
            var kaiser = BesselI0(KaiserBeta * Math.Sqrt(Math.Max(0, 1 - (r * r)))) / i0Beta;
            taps[k] = sinc * kaiser;
            sum += taps[k];
        }

        var result = new float[count];
        for (var k = 0; k < count; k++)
        {
            result[k] = (float)(taps[k] / sum);
        }

        return result;
    }

    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var half = x / 2;
        for (var k = 1; k < 64; k++)
        {
            term *= half / k;
            var add = term * term;
            sum += add;
            if (add < 1e-17 * sum)
            {
                break;
            }
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Deinterleave(ReadOnlySpan<float> interleaved, int channels, int first, int second, int from, int count, Span<float> a, Span<float> b)
    {
        a = a[..count];
        b = b[..count];
        var source = interleaved.Slice(from * channels, count * channels);
        if (channels == 2 && first == 0)
        {
            // Eight frames at a time: [l0 r0 .. l3 r3] [l4 r4 .. l7 r7] -> [l0 .. l7], [r0 .. r7].
            ref var ps = ref MemoryMarshal.GetReference(source);
            ref var pa = ref MemoryMarshal.GetReference(a);
            ref var pb = ref MemoryMarshal.GetReference(b);
            var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            var k = 0;
            for (; k + 8 <= count; k += 8)
            {
                var v0 = Vector256.Shuffle(Vector256.LoadUnsafe(ref ps, (nuint)(2 * k)), order);
                var v1 = Vector256.Shuffle(Vector256.LoadUnsafe(ref ps, (nuint)((2 * k) + 8)), order);
                Vector256.Create(v0.GetLower(), v1.GetLower()).StoreUnsafe(ref pa, (nuint)k);
                Vector256.Create(v0.GetUpper(), v1.GetUpper()).StoreUnsafe(ref pb, (nuint)k);
            }

            for (; k < count; k++)
            {
                a[k] = source[2 * k];
                b[k] = source[(2 * k) + 1];
            }

            return;
        }

        for (var i = 0; i < a.Length; i++)
        {
            var row = i * channels;
            a[i] = source[row + first];
            b[i] = source[row + second];
        }
    }

    // Multiplies the ring (oldest sample at _write) by the window into the first FrameLength samples of _x; the rest of
    // _x is zero from the constructor and never written.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyInto(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        var n = destination.Length;
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pd = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            (Vector256.LoadUnsafe(ref pa, (nuint)i) * Vector256.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        }

        for (; i < n; i++)
        {
            destination[i] = a[i] * b[i];
        }
    }

    private void Store(float first, float second)
    {
        _ring1[_write] = first;
        _ring2[_write] = second;
        _write = _write + 1 == FrameLength ? 0 : _write + 1;
        _filled++;
        SinceFrame++;
    }

    // Sums of four vectors, [sum a0, sum a1, sum a2, sum a3], always in the same order (pairs, then pairs of pairs, then
    // the two halves), so that an output does not depend on whether it was computed alone or in a group of four.
    private static Vector128<float> Reduce4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        if (Avx.IsSupported)
        {
            var g = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            return g.GetLower() + g.GetUpper();
        }

        return Vector128.Create(Reduce(a0), Reduce(a1), Reduce(a2), Reduce(a3));

        static float Reduce(Vector256<float> v) =>
            ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
    }

    // One decimated output of each channel: the FIR over the history ending at input index q.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FilterAt(int q)
    {
        var taps = _taps;
        var from = q - taps.Length + 1;
        ref var h = ref MemoryMarshal.GetArrayDataReference(taps);
        ref var x1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_in1), from);
        ref var x2 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_in2), from);
        var acc1 = Vector256<float>.Zero;
        var acc2 = Vector256<float>.Zero;
        for (nuint k = 0; k < (nuint)taps.Length; k += (nuint)Vector256<float>.Count)
        {
            var c = Vector256.LoadUnsafe(ref h, k);
            acc1 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x1, k), acc1);
            acc2 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x2, k), acc2);
        }

        var sums = Reduce4(acc1, acc2, Vector256<float>.Zero, Vector256<float>.Zero);
        Store(sums[0], sums[1]);
    }

    // Four consecutive decimated outputs of each channel (ending at q, q + D, q + 2D, q + 3D), sharing the tap loads.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FilterFour(int q)
    {
        var taps = _taps;
        var step = (nuint)Decimation;
        var from = q - taps.Length + 1;
        ref var h = ref MemoryMarshal.GetArrayDataReference(taps);
        ref var x1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_in1), from);
        ref var x2 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_in2), from);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        for (nuint k = 0; k < (nuint)taps.Length; k += (nuint)Vector256<float>.Count)
        {
            var c = Vector256.LoadUnsafe(ref h, k);
            a0 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x1, k), a0);
            a1 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x1, k + step), a1);
            a2 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x1, k + (2 * step)), a2);
            a3 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x1, k + (3 * step)), a3);
            b0 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x2, k), b0);
            b1 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x2, k + step), b1);
            b2 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x2, k + (2 * step)), b2);
            b3 = Vector256.MultiplyAddEstimate(c, Vector256.LoadUnsafe(ref x2, k + (3 * step)), b3);
        }

        // Reduce4 pairs within each vector only, so these match FilterAt's sums exactly.
        var first = Reduce4(a0, a1, a2, a3);
        var second = Reduce4(b0, b1, b2, b3);
        if (_write + 4 <= FrameLength)
        {
            first.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_ring1), (nuint)_write);
            second.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_ring2), (nuint)_write);
            _write = _write + 4 == FrameLength ? 0 : _write + 4;
            _filled += 4;
            SinceFrame += 4;
            return;
        }

        Store(first[0], second[0]);
        Store(first[1], second[1]);
        Store(first[2], second[2]);
        Store(first[3], second[3]);
    }

    // Keeps the newest taps - 1 inputs at the start of the history.
    private void ShiftHistory()
    {
        var keep = _taps.Length - 1;
        _in1.AsSpan(_inCount - keep, keep).CopyTo(_in1);
        _in2.AsSpan(_inCount - keep, keep).CopyTo(_in2);
        _inCount = keep;
    }

    // Averages the auto- and cross-spectra exponentially (weight SmoothingWeight for the newest frame), then writes
    // conj(X1) X2 / |conj(X1) X2| times the magnitude-squared coherence |S12|^2 / (S11 S22) over bins 1 .. band limit
    // into _cr/_ci (bin 0 and the bins above the band stay zero from the constructor): the inverse gives a correlation
    // r(t) peaking at the delay of x2. Returns the sum of the weights.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double CoherenceTransform()
    {
        var count = _bandLimitBin;
        ref var r1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_r1), 1);
        ref var i1 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_i1), 1);
        ref var r2 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_r2), 1);
        ref var i2 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_i2), 1);
        ref var s11 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_s11), 1);
        ref var s22 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_s22), 1);
        ref var s12r = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_s12r), 1);
        ref var s12i = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_s12i), 1);
        ref var cr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cr), 1);
        ref var ci = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ci), 1);
        var alpha = Vector256.Create(_primed ? SmoothingWeight : 1f);

        // Unrelated signals still show a coherence of about 1/K for K averaged frames (K = (2 - a) / a for the
        // exponential average with weight a): that much is taken off before weighting, the rest rescaled to 0..1 and squared.
        var biasScalar = _primed ? CoherenceBias : 0f;
        var unbiasedScalar = 1f / (1f - biasScalar);
        var bias = Vector256.Create(biasScalar);
        var unbiased = Vector256.Create(unbiasedScalar);
        var tiny = Vector256.Create(1e-30f);
        var sum = Vector256<float>.Zero;
        var k = 0;
        for (; k <= count - Vector256<float>.Count; k += Vector256<float>.Count)
        {
            var at = (nuint)k;
            var a = Vector256.LoadUnsafe(ref r1, at);
            var b = Vector256.LoadUnsafe(ref i1, at);
            var c = Vector256.LoadUnsafe(ref r2, at);
            var d = Vector256.LoadUnsafe(ref i2, at);
            var p11 = Vector256.LoadUnsafe(ref s11, at);
            var p22 = Vector256.LoadUnsafe(ref s22, at);
            var pr = Vector256.LoadUnsafe(ref s12r, at);
            var pi = Vector256.LoadUnsafe(ref s12i, at);
            p11 += alpha * (((a * a) + (b * b)) - p11);
            p22 += alpha * (((c * c) + (d * d)) - p22);
            pr += alpha * (((a * c) + (b * d)) - pr);
            pi += alpha * (((a * d) - (b * c)) - pi);
            p11.StoreUnsafe(ref s11, at);
            p22.StoreUnsafe(ref s22, at);
            pr.StoreUnsafe(ref s12r, at);
            pi.StoreUnsafe(ref s12i, at);
            var cross = (pr * pr) + (pi * pi);
            var auto = p11 * p22;
            var keep = Vector256.GreaterThan(auto, tiny) & Vector256.GreaterThan(cross, tiny);
            var excess = Vector256.Max((Vector256.Min(cross / auto, Vector256<float>.One) - bias) * unbiased, Vector256<float>.Zero);
            var coherence = Vector256.ConditionalSelect(keep, excess * excess, Vector256<float>.Zero);
            var scale = Vector256.ConditionalSelect(keep, coherence / Vector256.Sqrt(cross), Vector256<float>.Zero);
            (pr * scale).StoreUnsafe(ref cr, at);
            (pi * scale).StoreUnsafe(ref ci, at);
            sum += coherence;
        }

        var total = (double)Vector256.Sum(sum);
        var alphaScalar = _primed ? SmoothingWeight : 1f;
        for (; k < count; k++)
        {
            var a = Unsafe.Add(ref r1, k);
            var b = Unsafe.Add(ref i1, k);
            var c = Unsafe.Add(ref r2, k);
            var d = Unsafe.Add(ref i2, k);
            ref var p11 = ref Unsafe.Add(ref s11, k);
            ref var p22 = ref Unsafe.Add(ref s22, k);
            ref var pr = ref Unsafe.Add(ref s12r, k);
            ref var pi = ref Unsafe.Add(ref s12i, k);
            p11 += alphaScalar * (((a * a) + (b * b)) - p11);
            p22 += alphaScalar * (((c * c) + (d * d)) - p22);
            pr += alphaScalar * (((a * c) + (b * d)) - pr);
            pi += alphaScalar * (((a * d) - (b * c)) - pi);
            var cross = (pr * pr) + (pi * pi);
            var auto = p11 * p22;
            var ok = auto > 1e-30f && cross > 1e-30f;
            var excess = MathF.Max((MathF.Min(cross / auto, 1f) - biasScalar) * unbiasedScalar, 0f);
            var coherence = ok ? excess * excess : 0f;
            var scale = ok ? coherence / MathF.Sqrt(cross) : 0f;
            Unsafe.Add(ref cr, k) = pr * scale;
            Unsafe.Add(ref ci, k) = pi * scale;
            total += coherence;
        }

        return total;
    }

    // _smoothed[from .. from + count) = scaled correlation (the averaging is done on the spectra).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Scale(int from, int count, float scale)
    {
        var corr = _corr.AsSpan(from, count);
        var s = _smoothed.AsSpan(from, count);
        ref var pc = ref MemoryMarshal.GetReference(corr);
        ref var ps = ref MemoryMarshal.GetReference(s);
        var i = 0;
        var vs = Vector256.Create(scale);
        for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            (Vector256.LoadUnsafe(ref pc, (nuint)i) * vs).StoreUnsafe(ref ps, (nuint)i);
        }

        for (; i < count; i++)
        {
            s[i] = corr[i] * scale;
        }
    }

    // Largest |r| over lags from .. to (inclusive; 0 when from > to).
    private float MaxAbsLags(int from, int to)
    {
        var size = _smoothed.Length;
        var m = 0f;
        if (from < 0)
        {
            var end = Math.Min(to, -1);
            if (end >= from)
            {
                m = MaxAbs(from + size, end - from + 1);
            }
        }

        var start = Math.Max(from, 0);
        return to >= start ? MathF.Max(m, MaxAbs(start, to - start + 1)) : m;
    }

    // Largest |_smoothed[i]| for i in from .. from + count (0 when empty).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float MaxAbs(int from, int count)
    {
        ref var p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_smoothed), from);
        var acc = Vector256<float>.Zero;
        var i = 0;
        for (; i + Vector256<float>.Count <= count; i += Vector256<float>.Count)
        {
            acc = Vector256.MaxNative(acc, Vector256.Abs(Vector256.LoadUnsafe(ref p, (nuint)i)));
        }

        var m = 0f;
        for (var k = 0; k < Vector256<float>.Count; k++)
        {
            m = MathF.Max(m, acc[k]);
        }

        for (; i < count; i++)
        {
            m = MathF.Max(m, MathF.Abs(Unsafe.Add(ref p, i)));
        }

        return m;
    }

    // Index of the first |_smoothed[i]| equal to value for i in from .. from + count.
    private int FirstAbsEqual(int from, int count, float value)
    {
        var s = _smoothed;
        for (var i = from; i < from + count; i++)
        {
            if (MathF.Abs(s[i]) == value)
            {
                return i;
            }
        }

        return from;
    }

    // Sum of _smoothed[i]^2 for i in from .. from + count.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double SumSquares(int from, int count)
    {
        ref var p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_smoothed), from);
        var acc = Vector256<float>.Zero;
        var i = 0;
        for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var v = Vector256.LoadUnsafe(ref p, (nuint)i);
            acc = Vector256.MultiplyAddEstimate(v, v, acc);
        }

        double sum = Vector256.Sum(acc);
        for (; i < count; i++)
        {
            var v = Unsafe.Add(ref p, i);
            sum += v * v;
        }

        return sum;
    }

    private float At(int lag) => _smoothed[lag < 0 ? lag + _smoothed.Length : lag];

    private void Transform(float[] ring, float[] re, float[] im)
    {
        var older = FrameLength - _write;
        MultiplyInto(ring.AsSpan(_write), _window.AsSpan(0, older), _x.AsSpan(0, older));
        MultiplyInto(ring.AsSpan(0, _write), _window.AsSpan(older, _write), _x.AsSpan(older, _write));
        _fft.Forward(_x, re, im);
    }
}
