using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Friture.Streaming.Reduction;

/// <summary>
/// The positions of a span's maximum and minimum, exactly as a scalar scan finds them: starting from the first
/// element, an element replaces the current extreme only when it compares strictly greater (smaller), so the first of
/// equal extremes wins (<c>-0</c> and <c>+0</c> are equal), NaN elements are skipped, and a NaN first element is both
/// extremes.
/// </summary>
/// <remarks>
/// One vector pass finds the extreme values (a per-lane select on the same strict comparison, so a lane never holds a
/// NaN), then a vector search finds the first element equal to each, which is the element the scalar scan keeps.
/// </remarks>
internal static class Extrema
{
    /// <summary>Index of the first maximum of a non-empty span.</summary>
    public static int FirstMaxIndex(ReadOnlySpan<float> values)
    {
        var max = values[0];
        if (values.Length == 1 || float.IsNaN(max))
        {
            return 0;
        }

        var width = Vector<float>.Count;
        if (!Vector.IsHardwareAccelerated || values.Length < width)
        {
            // Short spans (spectrogram bands are a few bins): the scalar scan.
            var best = 0;
            for (var k = 1; k < values.Length; k++)
            {
                best = values[k] > values[best] ? k : best;
            }

            return best;
        }

        ref var start = ref MemoryMarshal.GetReference(values);
        var last = values.Length - width;
        var lanes = new Vector<float>(max);
        var other = lanes;
        var i = 0;
        for (; i < last - width; i += 2 * width)
        {
            // Two independent chains, so one comparison does not wait for the previous one.
            lanes = Above(Vector.LoadUnsafe(ref start, (nuint)i), lanes);
            other = Above(Vector.LoadUnsafe(ref start, (nuint)(i + width)), other);
        }

        for (; i < last; i += width)
        {
            lanes = Above(Vector.LoadUnsafe(ref start, (nuint)i), lanes);
        }

        lanes = Above(Vector.LoadUnsafe(ref start, (nuint)last), Above(other, lanes));
        return FirstEqual(values, Largest(lanes));
    }

    /// <summary>Indices of the first minimum and the first maximum of a non-empty span.</summary>
    public static (int Min, int Max) FirstMinMaxIndices(ReadOnlySpan<float> values)
    {
        var first = values[0];
        if (values.Length == 1 || float.IsNaN(first))
        {
            return (0, 0);
        }

        var width = Vector<float>.Count;
        if (!Vector.IsHardwareAccelerated || values.Length < width)
        {
            // The scalar scan.
            var minAt = 0;
            var maxAt = 0;
            for (var k = 1; k < values.Length; k++)
            {
                minAt = values[k] < values[minAt] ? k : minAt;
                maxAt = values[k] > values[maxAt] ? k : maxAt;
            }

            return (minAt, maxAt);
        }

        ref var start = ref MemoryMarshal.GetReference(values);
        var last = values.Length - width;
        var lows = new Vector<float>(first);
        var highs = lows;
        var (otherLows, otherHighs) = (lows, highs);
        var i = 0;
        for (; i < last - width; i += 2 * width)
        {
            var v = Vector.LoadUnsafe(ref start, (nuint)i);
            var w = Vector.LoadUnsafe(ref start, (nuint)(i + width));
            lows = Below(v, lows);
            highs = Above(v, highs);
            otherLows = Below(w, otherLows);
            otherHighs = Above(w, otherHighs);
        }

        for (; i < last; i += width)
        {
            var v = Vector.LoadUnsafe(ref start, (nuint)i);
            lows = Below(v, lows);
            highs = Above(v, highs);
        }

        var tail = Vector.LoadUnsafe(ref start, (nuint)last);
        lows = Below(tail, Below(otherLows, lows));
        highs = Above(tail, Above(otherHighs, highs));
        return FirstEqual(values, Smallest(lows), Largest(highs));
    }

    // The first index whose element equals target (a value known to occur, up to the sign of zero); at least one vector.
    private static int FirstEqual(ReadOnlySpan<float> values, float target)
    {
        var width = Vector<float>.Count;
        ref var start = ref MemoryMarshal.GetReference(values);
        var wanted = new Vector<float>(target);
        var last = values.Length - width;
        for (var i = 0; i < last; i += width)
        {
            var found = Mask(Vector.Equals(Vector.LoadUnsafe(ref start, (nuint)i), wanted));
            if (found != 0)
            {
                return i + BitOperations.TrailingZeroCount(found);
            }
        }

        // The last vector overlaps the ones before it, which held no match.
        var tail = Mask(Vector.Equals(Vector.LoadUnsafe(ref start, (nuint)last), wanted));
        return tail != 0 ? last + BitOperations.TrailingZeroCount(tail) : throw new InvalidOperationException("The extreme value is not in its span.");
    }

    // The first indices of two values known to occur, in one pass; at least one vector.
    private static (int, int) FirstEqual(ReadOnlySpan<float> values, float low, float high)
    {
        var width = Vector<float>.Count;
        ref var start = ref MemoryMarshal.GetReference(values);
        var (lows, highs) = (new Vector<float>(low), new Vector<float>(high));
        var (lowAt, highAt) = (-1, -1);
        var last = values.Length - width;
        for (var i = 0; ; i = Math.Min(i + width, last))
        {
            var v = Vector.LoadUnsafe(ref start, (nuint)i);
            if (lowAt < 0 && Mask(Vector.Equals(v, lows)) is var l and not 0)
            {
                lowAt = i + BitOperations.TrailingZeroCount(l);
            }

            if (highAt < 0 && Mask(Vector.Equals(v, highs)) is var h and not 0)
            {
                highAt = i + BitOperations.TrailingZeroCount(h);
            }

            if ((lowAt >= 0 && highAt >= 0) || i == last)
            {
                return lowAt >= 0 && highAt >= 0 ? (lowAt, highAt) : throw new InvalidOperationException("The extreme values are not in their span.");
            }
        }
    }

    // The largest lane (lanes hold no NaN): halves compared with the same strict comparison.
    private static float Largest(Vector<float> lanes)
    {
        if (Vector<float>.Count == Vector256<float>.Count)
        {
            var wide = lanes.AsVector256();
            var v = Larger(wide.GetLower(), wide.GetUpper());
            v = Larger(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)));
            return Larger(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2))).ToScalar();
        }

        var max = lanes[0];
        for (var j = 1; j < Vector<float>.Count; j++)
        {
            max = lanes[j] > max ? lanes[j] : max;
        }

        return max;
    }

    // The smallest lane (lanes hold no NaN).
    private static float Smallest(Vector<float> lanes)
    {
        if (Vector<float>.Count == Vector256<float>.Count)
        {
            var wide = lanes.AsVector256();
            var v = Smaller(wide.GetLower(), wide.GetUpper());
            v = Smaller(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)));
            return Smaller(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2))).ToScalar();
        }

        var min = lanes[0];
        for (var j = 1; j < Vector<float>.Count; j++)
        {
            min = lanes[j] < min ? lanes[j] : min;
        }

        return min;
    }

    // Per lane: v where v > lanes, else lanes (so a NaN in v never enters). x86's MAXPS is exactly that (it returns the
    // second operand when either is NaN or both are zero).
    private static Vector<float> Above(Vector<float> v, Vector<float> lanes) =>
        Avx.IsSupported && Vector<float>.Count == Vector256<float>.Count
            ? Avx.Max(v.AsVector256(), lanes.AsVector256()).AsVector()
            : Vector.ConditionalSelect(Vector.GreaterThan(v, lanes), v, lanes);

    // Per lane: v where v < lanes, else lanes (MINPS likewise).
    private static Vector<float> Below(Vector<float> v, Vector<float> lanes) =>
        Avx.IsSupported && Vector<float>.Count == Vector256<float>.Count
            ? Avx.Min(v.AsVector256(), lanes.AsVector256()).AsVector()
            : Vector.ConditionalSelect(Vector.LessThan(v, lanes), v, lanes);

    // Bit j set when lane j is set.
    private static uint Mask(Vector<int> lanes)
    {
        if (Vector<int>.Count == Vector256<int>.Count)
        {
            return lanes.AsVector256().ExtractMostSignificantBits();
        }

        if (Vector<int>.Count == Vector128<int>.Count)
        {
            return lanes.AsVector128().ExtractMostSignificantBits();
        }

        var mask = 0u;
        for (var j = Vector<int>.Count - 1; j >= 0; j--)
        {
            mask = (mask << 1) | (lanes[j] != 0 ? 1u : 0u);
        }

        return mask;
    }

    private static Vector128<float> Larger(Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(Vector128.GreaterThan(a, b), a, b);

    private static Vector128<float> Smaller(Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(Vector128.LessThan(a, b), a, b);
}
