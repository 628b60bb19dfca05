using System.Numerics;
using System.Runtime.InteropServices;

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
            var best = 0;
            for (var k = 1; k < values.Length; k++)
            {
                if (values[k] > max)
                {
                    max = values[k];
                    best = k;
                }
            }

            return best;
        }

        ref var start = ref MemoryMarshal.GetReference(values);
        var last = values.Length - width;
        var lanes = new Vector<float>(max);
        for (var i = 0; i < last; i += width)
        {
            var v = Vector.LoadUnsafe(ref start, (nuint)i);
            lanes = Vector.ConditionalSelect(Vector.GreaterThan(v, lanes), v, lanes);
        }

        var tail = Vector.LoadUnsafe(ref start, (nuint)last);
        lanes = Vector.ConditionalSelect(Vector.GreaterThan(tail, lanes), tail, lanes);
        for (var j = 0; j < width; j++)
        {
            if (lanes[j] > max)
            {
                max = lanes[j];
            }
        }

        return FirstEqual(values, max);
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
            var minAt = 0;
            var maxAt = 0;
            for (var k = 1; k < values.Length; k++)
            {
                if (values[k] < values[minAt])
                {
                    minAt = k;
                }

                if (values[k] > values[maxAt])
                {
                    maxAt = k;
                }
            }

            return (minAt, maxAt);
        }

        ref var start = ref MemoryMarshal.GetReference(values);
        var last = values.Length - width;
        var lows = new Vector<float>(first);
        var highs = lows;
        for (var i = 0; i < last; i += width)
        {
            var v = Vector.LoadUnsafe(ref start, (nuint)i);
            lows = Vector.ConditionalSelect(Vector.LessThan(v, lows), v, lows);
            highs = Vector.ConditionalSelect(Vector.GreaterThan(v, highs), v, highs);
        }

        var tail = Vector.LoadUnsafe(ref start, (nuint)last);
        lows = Vector.ConditionalSelect(Vector.LessThan(tail, lows), tail, lows);
        highs = Vector.ConditionalSelect(Vector.GreaterThan(tail, highs), tail, highs);
        var min = first;
        var max = first;
        for (var j = 0; j < width; j++)
        {
            if (lows[j] < min)
            {
                min = lows[j];
            }

            if (highs[j] > max)
            {
                max = highs[j];
            }
        }

        return (FirstEqual(values, min), FirstEqual(values, max));
    }

    // The first index whose element equals target (a value known to occur, up to the sign of zero).
    private static int FirstEqual(ReadOnlySpan<float> values, float target)
    {
        var width = Vector<float>.Count;
        ref var start = ref MemoryMarshal.GetReference(values);
        var wanted = new Vector<float>(target);
        var i = 0;
        for (; i <= values.Length - width; i += width)
        {
            if (Vector.EqualsAny(Vector.LoadUnsafe(ref start, (nuint)i), wanted))
            {
                break;
            }
        }

        for (; i < values.Length; i++)
        {
            if (values[i] == target)
            {
                return i;
            }
        }

        throw new InvalidOperationException("The extreme value was not found in its span.");
    }
}
