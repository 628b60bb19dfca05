using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Friture.Streaming.Dsp.Fft;

/// <summary>
/// Turns the complex FFT Z of z[n] = x[2n] + i x[2n+1] (M = N/2 points) into the spectrum X of the real signal x, and
/// back: X[k] = E[k] + W^k O[k] with E, O the spectra of the even and odd samples and W = exp(-2 pi i / N).
/// </summary>
/// <remarks>
/// Each step handles the pair (k, M - k) together, because E[M-k] = conj(E[k]) and O[M-k] = conj(O[k]); the vector
/// version loads the M - k side backwards and reverses it in registers.
/// </remarks>
internal static unsafe class RealSplit
{
    public static void ForwardScalar(float* zr, float* zi, float* outRe, float* outIm, float* cos, float* sin, int m)
    {
        ForwardEnds(zr, zi, outRe, outIm, m);
        ForwardRange(zr, zi, outRe, outIm, cos, sin, m, 1);
    }

    public static void ForwardVector(float* zr, float* zi, float* outRe, float* outIm, float* cos, float* sin, int m)
    {
        ForwardEnds(zr, zi, outRe, outIm, m);
        var half = m / 2;
        var k = 1;
        var half8 = Vector256.Create(0.5f);
        for (; k + 8 <= half; k += 8)
        {
            var zR = Avx.LoadVector256(zr + k);
            var zI = Avx.LoadVector256(zi + k);
            var yR = Reverse(Avx.LoadVector256(zr + m - k - 7));
            var yI = Reverse(Avx.LoadVector256(zi + m - k - 7));
            var er = half8 * (zR + yR);
            var ei = half8 * (zI - yI);
            var or = half8 * (zI + yI);
            var oi = half8 * (yR - zR);
            var c = Avx.LoadVector256(cos + k);
            var s = Avx.LoadVector256(sin + k);
            var wor = Fma.MultiplyAdd(c, or, s * oi);
            var woi = Fma.MultiplySubtract(c, oi, s * or);
            Avx.Store(outRe + k, er + wor);
            Avx.Store(outIm + k, ei + woi);
            Avx.Store(outRe + m - k - 7, Reverse(er - wor));
            Avx.Store(outIm + m - k - 7, Reverse(woi - ei));
        }

        ForwardRange(zr, zi, outRe, outIm, cos, sin, m, k);
    }

    public static void InverseScalar(float* inRe, float* inIm, float* zr, float* zi, float* cos, float* sin, int m, float scale)
    {
        InverseEnds(inRe, zr, zi, m, scale);
        InverseRange(inRe, inIm, zr, zi, cos, sin, m, scale, 1);
    }

    public static void InverseVector(float* inRe, float* inIm, float* zr, float* zi, float* cos, float* sin, int m, float scale)
    {
        InverseEnds(inRe, zr, zi, m, scale);
        var half = m / 2;
        var h = Vector256.Create(scale);
        var k = 1;
        for (; k + 8 <= half; k += 8)
        {
            var xR = Avx.LoadVector256(inRe + k);
            var xI = Avx.LoadVector256(inIm + k);
            var yR = Reverse(Avx.LoadVector256(inRe + m - k - 7));
            var yI = Reverse(Avx.LoadVector256(inIm + m - k - 7));
            var pr = xR + yR;
            var pi = xI - yI;
            var qr = xR - yR;
            var qi = xI + yI;
            var c = Avx.LoadVector256(cos + k);
            var s = Avx.LoadVector256(sin + k);
            var opr = Fma.MultiplySubtract(c, qr, s * qi);
            var opi = Fma.MultiplyAdd(c, qi, s * qr);
            Avx.Store(zr + k, h * (pr - opi));
            Avx.Store(zi + k, -h * (pi + opr));
            Avx.Store(zr + m - k - 7, Reverse(h * (pr + opi)));
            Avx.Store(zi + m - k - 7, Reverse(h * (pi - opr)));
        }

        InverseRange(inRe, inIm, zr, zi, cos, sin, m, scale, k);
    }

    public static void InterleaveConjugateScalar(float* zr, float* zi, float* output, int m)
    {
        for (var n = 0; n < m; n++)
        {
            output[2 * n] = zr[n];
            output[(2 * n) + 1] = -zi[n];
        }
    }

    public static void InterleaveConjugateVector(float* zr, float* zi, float* output, int m)
    {
        var n = 0;
        for (; n + 8 <= m; n += 8)
        {
            var r = Avx.LoadVector256(zr + n);
            var i = -Avx.LoadVector256(zi + n);
            var lo = Avx.UnpackLow(r, i);
            var hi = Avx.UnpackHigh(r, i);
            Avx.Store(output + (2 * n), Avx.Permute2x128(lo, hi, 0x20));
            Avx.Store(output + (2 * n) + 8, Avx.Permute2x128(lo, hi, 0x31));
        }

        for (; n < m; n++)
        {
            output[2 * n] = zr[n];
            output[(2 * n) + 1] = -zi[n];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reverse(Vector256<float> v) =>
        Avx2.PermuteVar8x32(v, Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0));

    private static void ForwardEnds(float* zr, float* zi, float* outRe, float* outIm, int m)
    {
        var r0 = zr[0];
        var i0 = zi[0];
        outRe[0] = r0 + i0;
        outIm[0] = 0f;
        outRe[m] = r0 - i0;
        outIm[m] = 0f;
    }

    private static void ForwardRange(float* zr, float* zi, float* outRe, float* outIm, float* cos, float* sin, int m, int from)
    {
        var half = m / 2;
        for (var k = from; k <= half; k++)
        {
            float zR = zr[k], zI = zi[k], yR = zr[m - k], yI = zi[m - k];
            var er = 0.5f * (zR + yR);
            var ei = 0.5f * (zI - yI);
            var or = 0.5f * (zI + yI);
            var oi = 0.5f * (yR - zR);
            float c = cos[k], s = sin[k];
            var wor = (c * or) + (s * oi);
            var woi = (c * oi) - (s * or);
            outRe[k] = er + wor;
            outIm[k] = ei + woi;
            outRe[m - k] = er - wor;
            outIm[m - k] = woi - ei;
        }
    }

    private static void InverseEnds(float* inRe, float* zr, float* zi, int m, float scale)
    {
        var x0 = inRe[0];
        var xm = inRe[m];
        zr[0] = scale * (x0 + xm);
        zi[0] = -scale * (x0 - xm);
    }

    private static void InverseRange(float* inRe, float* inIm, float* zr, float* zi, float* cos, float* sin, int m, float scale, int from)
    {
        var half = m / 2;
        for (var k = from; k <= half; k++)
        {
            float xR = inRe[k], xI = inIm[k], yR = inRe[m - k], yI = inIm[m - k];
            var pr = xR + yR;
            var pi = xI - yI;
            var qr = xR - yR;
            var qi = xI + yI;
            float c = cos[k], s = sin[k];
            var opr = (c * qr) - (s * qi);
            var opi = (c * qi) + (s * qr);
            zr[k] = scale * (pr - opi);
            zi[k] = -scale * (pi + opr);
            zr[m - k] = scale * (pr + opi);
            zi[m - k] = scale * (pi - opr);
        }
    }
}
