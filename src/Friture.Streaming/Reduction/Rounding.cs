using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Friture.Streaming.Reduction;

/// <summary>
/// Rounds reduced values to what a display can use, to float32 values whose shortest text is short
/// (<c>-61.59</c> instead of <c>-61.590782</c>).
/// </summary>
/// <remarks>
/// <see cref="Significant(float, int)"/> gives exactly <c>Math.Round(v * s) / s</c> with <c>s = Math.Pow(10, digits - 1 -
/// Math.Floor(Math.Log10(|v|)))</c>, without calling <c>Log10</c> or <c>Pow</c>: the decade of a normal float is read
/// from its binary exponent and one comparison with the first float of the next decade in that binade, both found once
/// (with <c>Math.Log10</c> itself) for every binade, and the powers of ten are <c>Math.Pow</c>'s own values, computed
/// once. Subnormal floats take the direct formula. The span forms round in place with vectors
/// (<c>Math.Round</c>'s to-even mode, the same widening, multiply, divide and narrowing as the scalar form, so the
/// same bits).
/// </remarks>
internal static class Rounding
{
    // Powers of ten for the scale 10^(digits - 1 - decade): decades of normal floats are -38..38, digits 1..9.
    private const int PowerOffset = 64;
    private static readonly double[] PowersOfTen = BuildPowers();

    // Per biased exponent (1..254) of a float: the decade (floor(log10)) of the binade's first float, and the first float
    // of the binade in the next decade (+infinity when the whole binade is in one decade).
    private static readonly (int Decade, float NextDecade)[] Binades = BuildBinades();

    /// <summary>To <paramref name="digits"/> significant digits.</summary>
    public static float Significant(float value, int digits)
    {
        if (value == 0 || !float.IsFinite(value))
        {
            return value;
        }

        var abs = Math.Abs(value);
        var exponent = (int)(BitConverter.SingleToUInt32Bits(abs) >> 23);
        if (exponent == 0 || (uint)digits > 9)
        {
            return SignificantDirect(value, digits);
        }

        var (decade, next) = Binades[exponent];
        if (abs >= next)
        {
            decade++;
        }

        var scale = PowersOfTen[digits - 1 - decade + PowerOffset];
        return (float)(Math.Round(value * scale) / scale);
    }

    /// <summary>Every element of <paramref name="values"/> to <paramref name="digits"/> significant digits, in place.</summary>
    public static void Significant(Span<float> values, int digits)
    {
        foreach (ref var value in values)
        {
            value = Significant(value, digits);
        }
    }

    /// <summary>To 0.01 dB.</summary>
    public static float Decibels(float value) => (float)(Math.Round(value * 100.0) / 100.0);

    /// <summary>Every element of <paramref name="values"/> to 0.01 dB, in place.</summary>
    public static void Decibels(Span<float> values) => Step(values, 100.0);

    /// <summary>To a fixed step given as its inverse (1e3 for samples, 1e5 for times in seconds).</summary>
    public static float Step(float value, double inverseStep) => (float)(Math.Round(value * inverseStep) / inverseStep);

    /// <summary>Every element of <paramref name="values"/> to a fixed step given as its inverse, in place.</summary>
    public static void Step(Span<float> values, double inverseStep)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var inverse = new Vector<double>(inverseStep);
            var last = values.Length - Vector<float>.Count;
            for (; i <= last; i += Vector<float>.Count)
            {
                var v = Vector.LoadUnsafe(ref start, (nuint)i);
                Vector.Widen(v, out var low, out var high);
                low = Vector.Round(low * inverse) / inverse;
                high = Vector.Round(high * inverse) / inverse;
                Vector.Narrow(low, high).StoreUnsafe(ref start, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            values[i] = Step(values[i], inverseStep);
        }
    }

    // The definition (for subnormal floats, and the reference the tables are built from).
    private static float SignificantDirect(float value, int digits)
    {
        var magnitude = Math.Floor(Math.Log10(Math.Abs(value)));
        var scale = Math.Pow(10, digits - 1 - magnitude);
        return (float)(Math.Round(value * scale) / scale);
    }

    private static double[] BuildPowers()
    {
        var powers = new double[2 * PowerOffset];
        for (var i = 0; i < powers.Length; i++)
        {
            powers[i] = Math.Pow(10, (double)(i - PowerOffset));
        }

        return powers;
    }

    private static (int, float)[] BuildBinades()
    {
        var binades = new (int, float)[255];
        for (var exponent = 1; exponent < 255; exponent++)
        {
            var first = (uint)exponent << 23;
            var last = first | 0x7F_FFFF;
            var decade = Decade(first);
            if (Decade(last) == decade)
            {
                binades[exponent] = (decade, float.PositiveInfinity);
                continue;
            }

            // The first float of the binade whose decade is above the first float's (a binade spans less than a
            // factor of 10, so it crosses at most one decade boundary).
            var (lo, hi) = (first, last);
            while (lo < hi)
            {
                var mid = lo + ((hi - lo) / 2);
                if (Decade(mid) > decade)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            binades[exponent] = (decade, BitConverter.UInt32BitsToSingle(lo));
        }

        return binades;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Decade(uint bits) => (int)Math.Floor(Math.Log10(BitConverter.UInt32BitsToSingle(bits)));
}
