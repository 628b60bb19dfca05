using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Friture.Streaming.Data;

/// <summary>
/// Formats float32 values as the exact text <see cref="Utf8JsonWriter.WriteNumberValue(float)"/> writes (the shortest
/// round-trip form), without the general formatter for the values the stream carries.
/// </summary>
/// <remarks>
/// <para>
/// Fast path, for finite <c>v</c> with <c>1e-4 &lt;= |v| &lt; 2^24</c>: for k = 0, 1, ... decimals, <c>r</c> = the integer
/// nearest to <c>v·10^k</c>; the first k at which <c>r·10^-k</c> lies strictly inside v's rounding interval (the half-way
/// points to its float neighbours) gives the answer, <c>r</c> printed with k decimals. Why this is the shortest
/// round-trip text: a shorter text would be a multiple of a coarser power of ten inside the interval, found at a smaller
/// k (a power of ten inside the interval is a multiple of 10^-k for every k tried from the one that equals it, and
/// k = 0 covers every power of ten from 1 up); among the candidates with k decimals the formatter picks the one closest
/// to v, which is <c>r</c>. Every quantity is exact in double precision: v has 24 significant bits, the half-way points
/// 25, and 10^k = 2^k·5^k with 5^k below 2^28 for k &lt;= 12 (k never exceeds 8 - floor(log10 |v|) &lt;= 12, nine significant
/// digits always round-trip a float), so products have at most 53 bits. In this range the formatter uses fixed notation
/// (it switches to exponent notation below 1e-4 and from 1e9), so the text is the sign, the integer part and the
/// decimals.
/// </para>
/// <para>
/// Anything the fast path cannot decide (outside the range, a candidate exactly on a half-way point or on a tie, the
/// next multiple inside a lopsided interval at a power of two) goes to the general formatter
/// (<see cref="float.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>, the same shortest
/// round-trip algorithm the writer calls). <c>JsonFloatTests</c> compares both against the writer on millions of values.
/// </para>
/// </remarks>
internal static class JsonFloat
{
    /// <summary>Longest text of one float: <c>-1.17549435E-38</c> is 15 bytes.</summary>
    public const int MaxLength = 16;

    private static readonly double[] PowersOfTen =
    [
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    ];

    private static readonly ulong[] UInt64PowersOfTen =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>10^k for k = 0 .. 22, every one an exact double.</summary>
    private static readonly double[] PowersOfTen22 =
    [
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The doubles nearest 10^-n for n = 0 .. 14.</summary>
    private static readonly double[] SmallPowers =
    [
        1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14,
    ];

    /// <summary>Writes <paramref name="value"/> as the writer would; the value must be finite.</summary>
    /// <param name="value">A finite float.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> bytes.</param>
    /// <returns>The bytes written.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Format(float value, Span<byte> destination)
    {
        var written = TryFormatFast(value, destination);
        return written > 0 ? written : FormatGeneral(value, destination);
    }

    /// <summary>True when every value is finite (the writer refuses NaN and infinities).</summary>
    /// <param name="values">The values.</param>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        var bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(values);
        var i = 0;
        if (Vector.IsHardwareAccelerated && bits.Length >= Vector<uint>.Count)
        {
            var mask = new Vector<uint>(0x7F80_0000u);
            var any = Vector<uint>.Zero;
            for (; i <= bits.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                var exponent = new Vector<uint>(bits[i..]) & mask;
                any |= Vector.Equals(exponent, mask);
            }

            if (any != Vector<uint>.Zero)
            {
                return false;
            }
        }

        for (; i < bits.Length; i++)
        {
            if ((bits[i] & 0x7F80_0000u) == 0x7F80_0000u)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The fast path alone: bytes written, or 0 when the general formatter must decide.</summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> bytes.</param>
    /// <returns>The bytes written, or 0.</returns>
    public static int TryFormatFast(float value, Span<byte> destination)
    {
        if (value == 0)
        {
            if (float.IsNegative(value))
            {
                destination[0] = (byte)'-';
                destination[1] = (byte)'0';
                return 2;
            }

            destination[0] = (byte)'0';
            return 1;
        }

        var magnitude = Math.Abs(value);
        if (!(magnitude >= 1e-4f) || !(magnitude < 16_777_216f))
        {
            // Below 1e-4 the writer uses exponent notation (5.988E-08): TryFormatSmall. From 2^24, NaN, infinities: the
            // general formatter.
            return magnitude < 1e-4f ? TryFormatSmall(value, destination) : 0;
        }

        double v = magnitude;
        var below = (v + (double)MathF.BitDecrement(magnitude)) * 0.5;
        var above = (v + (double)MathF.BitIncrement(magnitude)) * 0.5;

        // lead = floor(log10 v); nine significant digits always suffice (k up to 8 - lead <= 12), and no multiple of
        // 10^-k with k < -lead - 1 lies inside the interval of a v below 1 (the search starts there).
        var lead = v >= 1 ? (v >= 1e4 ? (v >= 1e6 ? (v >= 1e7 ? 7 : 6) : (v >= 1e5 ? 5 : 4)) : (v >= 1e2 ? (v >= 1e3 ? 3 : 2) : (v >= 10 ? 1 : 0)))
            : (v >= 1e-2 ? (v >= 0.1 ? -1 : -2) : (v >= 1e-3 ? -3 : -4));
        var first = Math.Max(0, -lead - 1);
        var maxK = 8 - lead;
        for (var k = first; k <= maxK; k++)
        {
            var scale = PowersOfTen[k];
            var scaled = v * scale;
            var r = Math.Round(scaled, MidpointRounding.ToEven);
            var low = below * scale;
            var high = above * scale;
            if (r > low && r < high)
            {
                if (r - scaled == 0.5 || scaled - r == 0.5)
                {
                    return 0; // two candidates at the same distance from v: the formatter's tie rule decides
                }

                return Write(value < 0, (ulong)r, k, destination);
            }

            if (r == low || r == high)
            {
                return 0; // on a half-way point: round-half-even decides, not this code
            }

            // r is outside; the next multiple on the other side of v may be inside a lopsided interval (v a power of two).
            var other = r < scaled ? r + 1 : r - 1;
            if (other >= low && other <= high)
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>
    /// Fast path for 1e-14 &lt;= |v| &lt; 1e-4, which the writer prints in exponent notation (<c>5.988E-08</c>), as the
    /// writer prints it, or 0.
    /// </summary>
    /// <remarks>
    /// <para>
    /// With K = 8 - lead (lead = floor(log10 v), K &lt;= 22 so 10^K is an exact double), scale v's rounding interval (the
    /// half-way points to its float neighbours, 25-bit exact doubles) and v itself by 10^K: L, H and S, about 10^8 to
    /// 10^9, each the exact product rounded once, so within 2^-20 (10^-6) of it. The decimal candidates with K - j
    /// decimals are the multiples of 10^j; one lies inside the interval exactly when a multiple of 10^j lies in
    /// [ceil L, floor H] (no candidate is ever on a half-way point: that point's lowest bit is 2^-37 or finer, and
    /// r·10^-k with k &lt;= 22 would need 2^-22 or coarser). The largest such j gives the shortest text (nine digits, j = 0,
    /// always fit: the interval is wider than 1), and of the multiples of 10^j next to S the one inside the interval
    /// that is closer to v is the formatter's (the fixed-notation path above picks the same way). Every decision
    /// that the 10^-6 error could change (L or H within 10^-5 of an integer, S/10^j within 10^-5 of the half-way point
    /// between two multiples, a side of S misjudged) goes to the general formatter instead.
    /// </para>
    /// <para>
    /// The text is the digits with a point after the first (none for one digit), <c>E-</c> and the exponent, at least two
    /// digits: what the writer's shortest round-trip format writes. <c>JsonFloatTests</c> compares it with the writer on
    /// every float of the range (slow lane) and on millions of samples (fast lane).
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)] // kept out of TryFormatFast's frame (the fixed-notation path is the hot one)
    private static int TryFormatSmall(float value, Span<byte> destination)
    {
        double v = Math.Abs(value);
        if (!(v >= 1e-14))
        {
            return 0; // zero (the caller), subnormals and values too small for an exact 10^K
        }

        // lead = floor(log10 v) for 1e-14 <= v < 1e-4 (no float equals the double nearest a power of ten here, so the
        // comparisons are exact).
        var lead = -5;
        while (v < SmallPowers[-lead])
        {
            lead--;
        }

        var k = 8 - lead;
        var scale = PowersOfTen22[k];
        var below = (v + (double)MathF.BitDecrement((float)v)) * 0.5;
        var above = (v + (double)MathF.BitIncrement((float)v)) * 0.5;
        var low = below * scale;
        var high = above * scale;
        var scaled = v * scale;
        var lowCeiling = Math.Ceiling(low);
        var highFloor = Math.Floor(high);
        if (lowCeiling - low < 1e-5 || lowCeiling - low > 1 - 1e-5 || high - highFloor < 1e-5 || high - highFloor > 1 - 1e-5
            || lowCeiling > highFloor)
        {
            return 0;
        }

        var first = (ulong)lowCeiling;
        var last = (ulong)highFloor;

        // The largest j with a multiple of 10^j in [first, last], by bisection (a multiple of 10^(j+1) is one of 10^j,
        // so the answer is monotone): j = 0 always has one (first <= last), j = 10 never (last < 2·10^9).
        var j = 0;
        var beyond = 10;
        while (beyond - j > 1)
        {
            var middle = (j + beyond) >> 1;
            var power = (ulong)PowersOfTen[middle];
            if (last / power * power >= first)
            {
                j = middle;
            }
            else
            {
                beyond = middle;
            }
        }

        var step = (ulong)PowersOfTen[j];
        var units = scaled / step;
        var floor = Math.Floor(units);
        var fraction = units - floor;
        if (Math.Abs(fraction - 0.5) < 1e-5)
        {
            return 0; // too close to half-way between two multiples to tell which is closer to v
        }

        var nearer = (ulong)Math.Round(units, MidpointRounding.ToEven);
        var other = fraction < 0.5 ? nearer + 1 : nearer - 1;
        ulong digits;
        if (nearer * step >= first && nearer * step <= last)
        {
            digits = nearer;
        }
        else if (other * step >= first && other * step <= last)
        {
            digits = other;
        }
        else
        {
            return 0; // (the side of S was misjudged next to a multiple)
        }

        if (digits % 10 == 0)
        {
            return 0; // a shorter text exists with a larger j than this search tries (never seen: lead is exact)
        }

        return WriteExponent(value < 0, digits, j - k, destination);
    }

    /// <summary>Writes digits·10^exponent10 (digits without trailing zeros) as <c>d.dddE-xx</c>.</summary>
    private static int WriteExponent(bool negative, ulong digits, int exponent10, Span<byte> destination)
    {
        var position = 0;
        if (negative)
        {
            destination[position++] = (byte)'-';
        }

        var count = CountDigits(digits);
        var exponent = exponent10 + count - 1;
        var start = position;
        position += count > 1 ? count + 1 : 1;
        for (var i = count - 1; i >= 1; i--)
        {
            destination[start + 1 + i] = (byte)('0' + (int)(digits % 10));
            digits /= 10;
        }

        destination[start] = (byte)('0' + (int)digits);
        if (count > 1)
        {
            destination[start + 1] = (byte)'.';
        }

        destination[position++] = (byte)'E';
        if (exponent < 0)
        {
            destination[position++] = (byte)'-';
            exponent = -exponent;
        }
        else
        {
            destination[position++] = (byte)'+';
        }

        destination[position++] = (byte)('0' + (exponent / 10));
        destination[position++] = (byte)('0' + (exponent % 10));
        return position;
    }

    /// <summary>
    /// Fast path for a double (the fields computed in double precision: stream_time, frequency_hz, ...): bytes written
    /// as <see cref="Utf8JsonWriter.WriteNumberValue(double)"/> would write them, or 0 when the writer must format it.
    /// </summary>
    /// <remarks>
    /// For k = 0 .. 9 decimals while v's rounding interval is narrower than 10^-k (so it holds at most one multiple of
    /// 10^-k): <c>r</c> = round(v·10^k); when <c>r / 10^k</c> (both exact doubles, so the division is correctly rounded,
    /// exactly what parsing the text does) gives v back, <c>r</c> with k decimals is the only k-decimal text that round-trips,
    /// and no shorter one does (it would be a multiple of 10^-k too, found at a smaller k), so it is the shortest. A
    /// product rounded to the wrong integer only fails the check (a later k then finds the same value, same text, or the
    /// writer formats it). Fixed notation holds for 1e-4 &lt;= |v| &lt; 2^33.
    /// </remarks>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least 32 bytes.</param>
    /// <returns>The bytes written, or 0.</returns>
    public static int TryFormatFast(double value, Span<byte> destination)
    {
        var magnitude = Math.Abs(value);
        if (!(magnitude >= 1e-4) || magnitude >= 8_589_934_592.0)
        {
            return 0; // zero, exponent notation, large, NaN, infinities: the writer formats these
        }

        var ulp = Math.BitIncrement(magnitude) - magnitude;
        for (var k = 0; k <= 9; k++)
        {
            var scale = PowersOfTen[k];
            if (ulp * scale >= 1)
            {
                return 0;
            }

            var r = Math.Round(magnitude * scale, MidpointRounding.ToEven);
            if (r / scale == magnitude)
            {
                return Write(value < 0, (ulong)r, k, destination);
            }
        }

        return 0;
    }

    /// <summary>The general formatter (the writer's shortest round-trip text) into a span.</summary>
    /// <param name="value">A finite value.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> bytes.</param>
    /// <returns>The bytes written.</returns>
    public static int FormatGeneral(float value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>Writes digits·10^-decimals in fixed notation (trailing zeros of the fraction removed), right to left.</summary>
    private static int Write(bool negative, ulong digits, int decimals, Span<byte> destination)
    {
        while (decimals > 0 && digits % 10 == 0)
        {
            digits /= 10;
            decimals--;
        }

        var count = CountDigits(digits);
        var position = 0;
        if (negative)
        {
            destination[position++] = (byte)'-';
        }

        // d, ddd, dd.ddd, or 0.00ddd
        var length = decimals == 0 ? count : (count > decimals ? count + 1 : decimals + 2);
        var end = position + length;
        var i = end - 1;
        if (decimals > 0)
        {
            for (var d = 0; d < decimals; d++)
            {
                destination[i--] = (byte)('0' + (int)(digits % 10));
                digits /= 10;
            }

            destination[i--] = (byte)'.';
        }

        do
        {
            destination[i--] = (byte)('0' + (int)(digits % 10));
            digits /= 10;
        }
        while (i >= position);

        return end;
    }

    /// <summary>Decimal digits of <paramref name="value"/> (1 for 0), from its bit length and one comparison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountDigits(ulong value)
    {
        // floor(log10(2^bits)) estimate: bits·1233/4096 (log10 2 ~ 1233/4096), then one comparison corrects it.
        value |= 1; // same digit count (an even value never precedes a power of ten), and 0 counts as 1
        var estimate = ((BitOperations.Log2(value) + 1) * 1233) >> 12;
        return estimate - (value < UInt64PowersOfTen[estimate] ? 1 : 0) + 1;
    }
}
