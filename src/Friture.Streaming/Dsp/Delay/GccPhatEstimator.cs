using Friture.Streaming.Dsp.Fft;
using Friture.Streaming.Dsp.Filters;
using System.Runtime.Intrinsics;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Dsp.Delay;

/// <summary>
/// Delay between two signals by the generalised cross-correlation with phase transform (GCC-PHAT, Knapp and Carter
/// 1976), frame by frame, with optional decimation for long delay ranges.
/// </summary>
/// <remarks>
/// <para>
/// Both inputs are decimated by <see cref="Decimation"/> (1, 2, 4, 8 or 16: the smallest that keeps the FFT within 65536
/// points) after an order-8 Butterworth low-pass at a quarter of the decimated rate. Frames of
/// <see cref="FrameLength"/> decimated samples (twice the longest lag) are Hann-windowed, transformed, and their
/// cross-spectrum <c>conj(X1) X2</c> is divided by its magnitude (and limited to the low-pass band when decimating);
/// the inverse transform is the PHAT correlation, whose peak within +-<see cref="MaxLag"/> gives the delay; it is
/// refined by parabolic interpolation. Successive correlations are averaged exponentially (weight
/// <see cref="SmoothingWeight"/> for the newest, as in Friture).
/// </para>
/// <para>Allocation: everything in the constructor; <see cref="Write"/> and <see cref="Compute"/> allocate nothing.</para>
/// </remarks>
internal sealed class GccPhatEstimator
{
    /// <summary>Weight of the newest correlation in the exponential average (Friture: 0.3).</summary>
    public const float SmoothingWeight = 0.3f;

    private const int MaxFft = 65536;

    // Anti-alias low-pass for both channels at once: lane 0 is the first signal, lane 1 the second.
    private readonly Vector128<double>[] _aaCoefficients = [];
    private readonly Vector128<double>[] _aaState = [];
    private readonly float[] _ring1;
    private readonly float[] _ring2;
    private readonly float[] _window;
    private readonly float[] _x;
    private readonly float[] _r1;
    private readonly float[] _i1;
    private readonly float[] _r2;
    private readonly float[] _i2;
    private readonly float[] _corr;
    private readonly float[] _smoothed;
    private readonly RealFft _fft;
    private readonly int _bandLimitBin;
    private int _write;
    private long _filled;
    private int _phase;
    private bool _primed;

    /// <summary>Creates an estimator.</summary>
    /// <param name="sampleRate">Input sample rate in Hz.</param>
    /// <param name="maxDelaySamples">Largest delay to look for, in input samples (either sign).</param>
    public GccPhatEstimator(int sampleRate, int maxDelaySamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelaySamples, 1);
        Decimation = 1;
        while (Decimation < 16 && 4L * ((maxDelaySamples + Decimation - 1) / Decimation) > MaxFft)
        {
            Decimation *= 2;
        }

        MaxLag = (maxDelaySamples + Decimation - 1) / Decimation;
        FrameLength = Math.Max(1024, 2 * MaxLag);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * FrameLength));
        if (size > MaxFft)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelaySamples), maxDelaySamples,
                $"a delay range of {maxDelaySamples} samples needs an FFT larger than {MaxFft} points.");
        }

        _fft = new RealFft(size);
        if (Decimation > 1)
        {
            var design = ButterworthDesign.LowPass(0.25 * sampleRate / Decimation, sampleRate, 8);
            _aaCoefficients = new Vector128<double>[design.Length * 5];
            _aaState = new Vector128<double>[design.Length * 2];
            for (var i = 0; i < design.Length; i++)
            {
                _aaCoefficients[(5 * i) + 0] = Vector128.Create(design[i].B0);
                _aaCoefficients[(5 * i) + 1] = Vector128.Create(design[i].B1);
                _aaCoefficients[(5 * i) + 2] = Vector128.Create(design[i].B2);
                _aaCoefficients[(5 * i) + 3] = Vector128.Create(design[i].A1);
                _aaCoefficients[(5 * i) + 4] = Vector128.Create(design[i].A2);
            }
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
        _corr = new float[size];
        _smoothed = new float[size];
        Hop = FrameLength / 2;
    }

    /// <summary>Decimation factor applied before correlating.</summary>
    public int Decimation { get; }

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
        if (Decimation > 1)
        {
            var v = Vector128.Create((double)first, second);
            var c = _aaCoefficients;
            var st = _aaState;
            for (var i = 0; i < st.Length; i += 2)
            {
                var at = (i / 2) * 5;
                var y = (c[at] * v) + st[i];
                st[i] = (c[at + 1] * v) - (c[at + 3] * y) + st[i + 1];
                st[i + 1] = (c[at + 2] * v) - (c[at + 4] * y);
                v = y;
            }

            if (++_phase < Decimation)
            {
                return false;
            }

            _phase = 0;
            first = (float)v.GetElement(0);
            second = (float)v.GetElement(1);
        }

        _ring1[_write] = first;
        _ring2[_write] = second;
        _write = _write + 1 == FrameLength ? 0 : _write + 1;
        _filled++;
        SinceFrame++;
        return true;
    }

    /// <summary>
    /// Adds interleaved frames until a frame of analysis becomes ready (check <see cref="FrameReady"/>) or the input
    /// ends. The block counterpart of <see cref="Write"/>, with the anti-alias state kept in registers.
    /// </summary>
    /// <param name="interleaved">Interleaved samples.</param>
    /// <param name="channels">Channel count.</param>
    /// <param name="first">0-based index of the reference channel.</param>
    /// <param name="second">0-based index of the delayed channel.</param>
    /// <returns>The number of frames consumed.</returns>
    public int WriteFrames(ReadOnlySpan<float> interleaved, int channels, int first, int second)
    {
        var frames = interleaved.Length / channels;
        if (Decimation == 1 || _aaState.Length != 8)
        {
            for (var i = 0; i < frames; i++)
            {
                var row = i * channels;
                if (Write(interleaved[row + first], interleaved[row + second]) && FrameReady)
                {
                    return i + 1;
                }
            }

            return frames;
        }

        var c = _aaCoefficients;
        var st = _aaState;
        var s10 = st[0];
        var s20 = st[1];
        var s11 = st[2];
        var s21 = st[3];
        var s12 = st[4];
        var s22 = st[5];
        var s13 = st[6];
        var s23 = st[7];
        var consumed = frames;
        for (var i = 0; i < frames; i++)
        {
            var row = i * channels;
            var v = Vector128.Create((double)interleaved[row + first], interleaved[row + second]);
            var y = (c[0] * v) + s10;
            s10 = (c[1] * v) - (c[3] * y) + s20;
            s20 = (c[2] * v) - (c[4] * y);
            v = y;
            y = (c[5] * v) + s11;
            s11 = (c[6] * v) - (c[8] * y) + s21;
            s21 = (c[7] * v) - (c[9] * y);
            v = y;
            y = (c[10] * v) + s12;
            s12 = (c[11] * v) - (c[13] * y) + s22;
            s22 = (c[12] * v) - (c[14] * y);
            v = y;
            y = (c[15] * v) + s13;
            s13 = (c[16] * v) - (c[18] * y) + s23;
            s23 = (c[17] * v) - (c[19] * y);
            if (++_phase < Decimation)
            {
                continue;
            }

            _phase = 0;
            _ring1[_write] = (float)y.GetElement(0);
            _ring2[_write] = (float)y.GetElement(1);
            _write = _write + 1 == FrameLength ? 0 : _write + 1;
            _filled++;
            SinceFrame++;
            if (FrameReady)
            {
                consumed = i + 1;
                break;
            }
        }

        st[0] = s10;
        st[1] = s20;
        st[2] = s11;
        st[3] = s21;
        st[4] = s12;
        st[5] = s22;
        st[6] = s13;
        st[7] = s23;
        return consumed;
    }

    /// <summary>Correlates the latest frame and returns the (smoothed) delay estimate.</summary>
    /// <returns>The estimate.</returns>
    public DelayEstimate Compute()
    {
        SinceFrame = 0;
        Transform(_ring1, _r1, _i1);
        Transform(_ring2, _r2, _i2);
        var bins = _r1.Length;
        for (var k = 0; k < bins; k++)
        {
            // conj(X1) X2: the inverse gives r(t) = sum_n x1[n] x2[n + t], peaking at the delay of x2.
            var re = (_r1[k] * _r2[k]) + (_i1[k] * _i2[k]);
            var im = (_r1[k] * _i2[k]) - (_i1[k] * _r2[k]);
            var mag = MathF.Sqrt((re * re) + (im * im));
            if (mag > 1e-20f && k <= _bandLimitBin && k > 0)
            {
                _r1[k] = re / mag;
                _i1[k] = im / mag;
            }
            else
            {
                _r1[k] = 0;
                _i1[k] = 0;
            }
        }

        _fft.Inverse(_r1, _i1, _corr);

        // Normalise so that a pure delay of a white signal peaks near 1: the inverse divides by N, and only the
        // PHAT-weighted bins contribute.
        var scale = (float)_fft.Size / (2 * Math.Max(1, _bandLimitBin));
        var size = _corr.Length;
        if (!_primed)
        {
            for (var i = 0; i < size; i++)
            {
                _smoothed[i] = _corr[i] * scale;
            }

            _primed = true;
        }
        else
        {
            for (var i = 0; i < size; i++)
            {
                _smoothed[i] += SmoothingWeight * ((_corr[i] * scale) - _smoothed[i]);
            }
        }

        // Peak of |r| over lags -MaxLag..MaxLag (negative lags wrap to the end).
        var bestLag = 0;
        var bestAbs = -1f;
        for (var lag = -MaxLag; lag <= MaxLag; lag++)
        {
            var v = MathF.Abs(_smoothed[lag < 0 ? lag + size : lag]);
            if (v > bestAbs)
            {
                bestAbs = v;
                bestLag = lag;
            }
        }

        // Largest value outside the main lobe (+-4 decimated samples) for the confidence.
        var second = 0f;
        for (var lag = -MaxLag; lag <= MaxLag; lag++)
        {
            if (Math.Abs(lag - bestLag) > 4)
            {
                second = MathF.Max(second, MathF.Abs(_smoothed[lag < 0 ? lag + size : lag]));
            }
        }

        var peak = At(bestLag);
        var delta = 0.0;
        if (bestLag > -MaxLag && bestLag < MaxLag)
        {
            var y0 = Math.Abs(At(bestLag - 1));
            var y1 = Math.Abs(peak);
            var y2 = Math.Abs(At(bestLag + 1));
            var denominator = y0 - (2 * y1) + y2;
            if (denominator < 0)
            {
                delta = Math.Clamp(0.5 * (y0 - y2) / denominator, -0.5, 0.5);
            }
        }

        var confidence = bestAbs > 0 ? Math.Clamp(1 - (second / bestAbs), 0, 1) : 0;
        return new DelayEstimate((bestLag + delta) * Decimation, Math.Clamp(peak, -1, 1), confidence);
    }

    /// <summary>Clears the history.</summary>
    public void Reset()
    {
        Array.Clear(_aaState);
        Array.Clear(_ring1);
        Array.Clear(_ring2);
        Array.Clear(_smoothed);
        _write = 0;
        _filled = 0;
        _phase = 0;
        SinceFrame = 0;
        _primed = false;
    }

    private float At(int lag) => _smoothed[lag < 0 ? lag + _smoothed.Length : lag];

    private void Transform(float[] ring, float[] re, float[] im)
    {
        var x = _x.AsSpan();
        var older = FrameLength - _write;
        for (var i = 0; i < older; i++)
        {
            x[i] = ring[_write + i] * _window[i];
        }

        for (var i = 0; i < _write; i++)
        {
            x[older + i] = ring[i] * _window[older + i];
        }

        x[FrameLength..].Clear();
        _fft.Forward(_x, re, im);
    }
}
