using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Friture.Streaming.Dsp.Fft;

/// <summary>
/// The passes of a radix-4 Stockham autosort FFT (forward, <c>exp(-2 pi i k n / N)</c>) on split real/imaginary
/// buffers: a scalar reference and an AVX2/FMA version that computes the same thing.
/// </summary>
/// <remarks>
/// A pass of length n and stride s reads x[q + s (p + j n/4)] for j = 0..3 and writes
/// y[q + s (4 p + t)] = W_n^(t p) * (radix-4 butterfly)_t, so the output ends in natural order with no bit reversal.
/// When s is at least 8 the inner loop over q is contiguous and is vectorised directly; the first pass (s = 1) is
/// vectorised over p with a 4 x 8 transpose on the way out; the s = 4 pass uses 128-bit vectors.
/// </remarks>
internal static unsafe class StockhamKernels
{
    public static void RunScalar(in StockhamStage stage, float* interleaved, float* xr, float* xi, float* yr, float* yi)
    {
        var s = stage.Stride;
        if (stage.Radix == 2)
        {
            for (var q = 0; q < s; q++)
            {
                float ar = xr[q], ai = xi[q], br = xr[q + s], bi = xi[q + s];
                yr[q] = ar + br;
                yi[q] = ai + bi;
                yr[q + s] = ar - br;
                yi[q + s] = ai - bi;
            }

            return;
        }

        var m = stage.Quarter;
        var sm = s * m;
        for (var p = 0; p < m; p++)
        {
            float w1r = stage.W1r[p], w1i = stage.W1i[p];
            float w2r = stage.W2r[p], w2i = stage.W2i[p];
            float w3r = stage.W3r[p], w3i = stage.W3i[p];
            for (var q = 0; q < s; q++)
            {
                var i0 = q + (s * p);
                float ar, ai, br, bi, cr, ci, dr, di;
                if (interleaved != null)
                {
                    ar = interleaved[2 * i0];
                    ai = interleaved[(2 * i0) + 1];
                    br = interleaved[2 * (i0 + sm)];
                    bi = interleaved[(2 * (i0 + sm)) + 1];
                    cr = interleaved[2 * (i0 + (2 * sm))];
                    ci = interleaved[(2 * (i0 + (2 * sm))) + 1];
                    dr = interleaved[2 * (i0 + (3 * sm))];
                    di = interleaved[(2 * (i0 + (3 * sm))) + 1];
                }
                else
                {
                    ar = xr[i0];
                    ai = xi[i0];
                    br = xr[i0 + sm];
                    bi = xi[i0 + sm];
                    cr = xr[i0 + (2 * sm)];
                    ci = xi[i0 + (2 * sm)];
                    dr = xr[i0 + (3 * sm)];
                    di = xi[i0 + (3 * sm)];
                }

                float apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci;
                float bpdR = br + dr, bpdI = bi + di, bmdR = br - dr, bmdI = bi - di;
                var o = q + (4 * s * p);
                yr[o] = apcR + bpdR;
                yi[o] = apcI + bpdI;

                float t1r = amcR + bmdI, t1i = amcI - bmdR;
                yr[o + s] = (t1r * w1r) - (t1i * w1i);
                yi[o + s] = (t1r * w1i) + (t1i * w1r);

                float t2r = apcR - bpdR, t2i = apcI - bpdI;
                yr[o + (2 * s)] = (t2r * w2r) - (t2i * w2i);
                yi[o + (2 * s)] = (t2r * w2i) + (t2i * w2r);

                float t3r = amcR - bmdI, t3i = amcI + bmdR;
                yr[o + (3 * s)] = (t3r * w3r) - (t3i * w3i);
                yi[o + (3 * s)] = (t3r * w3i) + (t3i * w3r);
            }
        }
    }

    public static void RunVector(in StockhamStage stage, float* interleaved, float* xr, float* xi, float* yr, float* yi)
    {
        var s = stage.Stride;
        if (stage.Radix == 2)
        {
            if (s < 8)
            {
                RunScalar(stage, interleaved, xr, xi, yr, yi);
                return;
            }

            for (var q = 0; q < s; q += 8)
            {
                var ar = Avx.LoadVector256(xr + q);
                var ai = Avx.LoadVector256(xi + q);
                var br = Avx.LoadVector256(xr + q + s);
                var bi = Avx.LoadVector256(xi + q + s);
                Avx.Store(yr + q, ar + br);
                Avx.Store(yi + q, ai + bi);
                Avx.Store(yr + q + s, ar - br);
                Avx.Store(yi + q + s, ai - bi);
            }

            return;
        }

        var m = stage.Quarter;
        if (s == 1 && m >= 8)
        {
            FirstPass(stage, interleaved, xr, xi, yr, yi);
        }
        else if (s == 4 && interleaved == null)
        {
            Stride4Pass(stage, xr, xi, yr, yi);
        }
        else if (s >= 8 && interleaved == null)
        {
            WidePass(stage, xr, xi, yr, yi);
        }
        else
        {
            RunScalar(stage, interleaved, xr, xi, yr, yi);
        }
    }

    private static void FirstPass(in StockhamStage stage, float* interleaved, float* xr, float* xi, float* yr, float* yi)
    {
        var m = stage.Quarter;
        for (var p = 0; p < m; p += 8)
        {
            Vector256<float> ar, ai, br, bi, cr, ci, dr, di;
            if (interleaved != null)
            {
                Deinterleave(interleaved + (2 * p), out ar, out ai);
                Deinterleave(interleaved + (2 * (p + m)), out br, out bi);
                Deinterleave(interleaved + (2 * (p + (2 * m))), out cr, out ci);
                Deinterleave(interleaved + (2 * (p + (3 * m))), out dr, out di);
            }
            else
            {
                ar = Avx.LoadVector256(xr + p);
                ai = Avx.LoadVector256(xi + p);
                br = Avx.LoadVector256(xr + p + m);
                bi = Avx.LoadVector256(xi + p + m);
                cr = Avx.LoadVector256(xr + p + (2 * m));
                ci = Avx.LoadVector256(xi + p + (2 * m));
                dr = Avx.LoadVector256(xr + p + (3 * m));
                di = Avx.LoadVector256(xi + p + (3 * m));
            }

            Butterfly(
                ar, ai, br, bi, cr, ci, dr, di,
                Avx.LoadVector256(stage.W1r + p), Avx.LoadVector256(stage.W1i + p),
                Avx.LoadVector256(stage.W2r + p), Avx.LoadVector256(stage.W2i + p),
                Avx.LoadVector256(stage.W3r + p), Avx.LoadVector256(stage.W3i + p),
                out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);

            TransposeStore(y0r, y1r, y2r, y3r, yr + (4 * p));
            TransposeStore(y0i, y1i, y2i, y3i, yi + (4 * p));
        }
    }

    private static void Stride4Pass(in StockhamStage stage, float* xr, float* xi, float* yr, float* yi)
    {
        var m = stage.Quarter;
        var sm = 4 * m;
        var p = 0;

        // Two values of p per 256-bit vector: lanes 0-3 are q = 0..3 of p, lanes 4-7 those of p + 1.
        for (; p + 2 <= m; p += 2)
        {
            var i0 = 4 * p;
            Butterfly(
                Avx.LoadVector256(xr + i0), Avx.LoadVector256(xi + i0),
                Avx.LoadVector256(xr + i0 + sm), Avx.LoadVector256(xi + i0 + sm),
                Avx.LoadVector256(xr + i0 + (2 * sm)), Avx.LoadVector256(xi + i0 + (2 * sm)),
                Avx.LoadVector256(xr + i0 + (3 * sm)), Avx.LoadVector256(xi + i0 + (3 * sm)),
                Pair(stage.W1r, p), Pair(stage.W1i, p), Pair(stage.W2r, p), Pair(stage.W2i, p), Pair(stage.W3r, p), Pair(stage.W3i, p),
                out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
            var o = 16 * p;
            Avx.Store(yr + o, Avx.Permute2x128(y0r, y1r, 0x20));
            Avx.Store(yr + o + 8, Avx.Permute2x128(y2r, y3r, 0x20));
            Avx.Store(yr + o + 16, Avx.Permute2x128(y0r, y1r, 0x31));
            Avx.Store(yr + o + 24, Avx.Permute2x128(y2r, y3r, 0x31));
            Avx.Store(yi + o, Avx.Permute2x128(y0i, y1i, 0x20));
            Avx.Store(yi + o + 8, Avx.Permute2x128(y2i, y3i, 0x20));
            Avx.Store(yi + o + 16, Avx.Permute2x128(y0i, y1i, 0x31));
            Avx.Store(yi + o + 24, Avx.Permute2x128(y2i, y3i, 0x31));
        }

        for (; p < m; p++)
        {
            var i0 = 4 * p;
            var ar = Sse.LoadVector128(xr + i0);
            var ai = Sse.LoadVector128(xi + i0);
            var br = Sse.LoadVector128(xr + i0 + sm);
            var bi = Sse.LoadVector128(xi + i0 + sm);
            var cr = Sse.LoadVector128(xr + i0 + (2 * sm));
            var ci = Sse.LoadVector128(xi + i0 + (2 * sm));
            var dr = Sse.LoadVector128(xr + i0 + (3 * sm));
            var di = Sse.LoadVector128(xi + i0 + (3 * sm));

            var apcR = ar + cr;
            var apcI = ai + ci;
            var amcR = ar - cr;
            var amcI = ai - ci;
            var bpdR = br + dr;
            var bpdI = bi + di;
            var bmdR = br - dr;
            var bmdI = bi - di;
            var o = 16 * p;
            Sse.Store(yr + o, apcR + bpdR);
            Sse.Store(yi + o, apcI + bpdI);
            Mul128(amcR + bmdI, amcI - bmdR, Vector128.Create(stage.W1r[p]), Vector128.Create(stage.W1i[p]), yr + o + 4, yi + o + 4);
            Mul128(apcR - bpdR, apcI - bpdI, Vector128.Create(stage.W2r[p]), Vector128.Create(stage.W2i[p]), yr + o + 8, yi + o + 8);
            Mul128(amcR - bmdI, amcI + bmdR, Vector128.Create(stage.W3r[p]), Vector128.Create(stage.W3i[p]), yr + o + 12, yi + o + 12);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pair(float* table, int p) =>
        Vector256.Create(Vector128.Create(table[p]), Vector128.Create(table[p + 1]));

    private static void WidePass(in StockhamStage stage, float* xr, float* xi, float* yr, float* yi)
    {
        var m = stage.Quarter;
        var s = stage.Stride;
        var sm = s * m;
        for (var p = 0; p < m; p++)
        {
            var w1r = Vector256.Create(stage.W1r[p]);
            var w1i = Vector256.Create(stage.W1i[p]);
            var w2r = Vector256.Create(stage.W2r[p]);
            var w2i = Vector256.Create(stage.W2i[p]);
            var w3r = Vector256.Create(stage.W3r[p]);
            var w3i = Vector256.Create(stage.W3i[p]);
            var xBase = s * p;
            var yBase = 4 * s * p;
            for (var q = 0; q < s; q += 8)
            {
                var i0 = xBase + q;
                Butterfly(
                    Avx.LoadVector256(xr + i0), Avx.LoadVector256(xi + i0),
                    Avx.LoadVector256(xr + i0 + sm), Avx.LoadVector256(xi + i0 + sm),
                    Avx.LoadVector256(xr + i0 + (2 * sm)), Avx.LoadVector256(xi + i0 + (2 * sm)),
                    Avx.LoadVector256(xr + i0 + (3 * sm)), Avx.LoadVector256(xi + i0 + (3 * sm)),
                    w1r, w1i, w2r, w2i, w3r, w3i,
                    out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
                var o = yBase + q;
                Avx.Store(yr + o, y0r);
                Avx.Store(yi + o, y0i);
                Avx.Store(yr + o + s, y1r);
                Avx.Store(yi + o + s, y1i);
                Avx.Store(yr + o + (2 * s), y2r);
                Avx.Store(yi + o + (2 * s), y2i);
                Avx.Store(yr + o + (3 * s), y3r);
                Avx.Store(yi + o + (3 * s), y3i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(
        Vector256<float> ar, Vector256<float> ai, Vector256<float> br, Vector256<float> bi,
        Vector256<float> cr, Vector256<float> ci, Vector256<float> dr, Vector256<float> di,
        Vector256<float> w1r, Vector256<float> w1i, Vector256<float> w2r, Vector256<float> w2i,
        Vector256<float> w3r, Vector256<float> w3i,
        out Vector256<float> y0r, out Vector256<float> y0i, out Vector256<float> y1r, out Vector256<float> y1i,
        out Vector256<float> y2r, out Vector256<float> y2i, out Vector256<float> y3r, out Vector256<float> y3i)
    {
        var apcR = ar + cr;
        var apcI = ai + ci;
        var amcR = ar - cr;
        var amcI = ai - ci;
        var bpdR = br + dr;
        var bpdI = bi + di;
        var bmdR = br - dr;
        var bmdI = bi - di;
        y0r = apcR + bpdR;
        y0i = apcI + bpdI;

        var t1r = amcR + bmdI;
        var t1i = amcI - bmdR;
        y1r = Fma.MultiplySubtract(t1r, w1r, t1i * w1i);
        y1i = Fma.MultiplyAdd(t1r, w1i, t1i * w1r);

        var t2r = apcR - bpdR;
        var t2i = apcI - bpdI;
        y2r = Fma.MultiplySubtract(t2r, w2r, t2i * w2i);
        y2i = Fma.MultiplyAdd(t2r, w2i, t2i * w2r);

        var t3r = amcR - bmdI;
        var t3i = amcI + bmdR;
        y3r = Fma.MultiplySubtract(t3r, w3r, t3i * w3i);
        y3i = Fma.MultiplyAdd(t3r, w3i, t3i * w3r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mul128(Vector128<float> tr, Vector128<float> ti, Vector128<float> wr, Vector128<float> wi, float* yr, float* yi)
    {
        Sse.Store(yr, Fma.MultiplySubtract(tr, wr, ti * wi));
        Sse.Store(yi, Fma.MultiplyAdd(tr, wi, ti * wr));
    }

    /// <summary>Splits 8 interleaved complex values (16 floats) into real and imaginary vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Deinterleave(float* source, out Vector256<float> re, out Vector256<float> im)
    {
        var v0 = Avx.LoadVector256(source);
        var v1 = Avx.LoadVector256(source + 8);
        re = Avx2.Permute4x64(Avx.Shuffle(v0, v1, 0x88).AsDouble(), 0xD8).AsSingle();
        im = Avx2.Permute4x64(Avx.Shuffle(v0, v1, 0xDD).AsDouble(), 0xD8).AsSingle();
    }

    /// <summary>Stores out[4 j + t] = y_t[j] for j = 0..7 (32 floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeStore(Vector256<float> y0, Vector256<float> y1, Vector256<float> y2, Vector256<float> y3, float* destination)
    {
        var t0 = Avx.UnpackLow(y0, y1);
        var t1 = Avx.UnpackHigh(y0, y1);
        var t2 = Avx.UnpackLow(y2, y3);
        var t3 = Avx.UnpackHigh(y2, y3);
        var u0 = Avx.UnpackLow(t0.AsDouble(), t2.AsDouble()).AsSingle();
        var u1 = Avx.UnpackHigh(t0.AsDouble(), t2.AsDouble()).AsSingle();
        var u2 = Avx.UnpackLow(t1.AsDouble(), t3.AsDouble()).AsSingle();
        var u3 = Avx.UnpackHigh(t1.AsDouble(), t3.AsDouble()).AsSingle();
        Avx.Store(destination, Avx.Permute2x128(u0, u1, 0x20));
        Avx.Store(destination + 8, Avx.Permute2x128(u2, u3, 0x20));
        Avx.Store(destination + 16, Avx.Permute2x128(u0, u1, 0x31));
        Avx.Store(destination + 24, Avx.Permute2x128(u2, u3, 0x31));
    }
}
