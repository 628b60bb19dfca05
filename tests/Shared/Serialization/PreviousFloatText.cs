// The JSON float formatting, array converters and double converter as they were on main at ef02a27 (2026-12-02), before
// the hand-written payload writers and the exponent-notation fast path: kept verbatim, classes renamed (Previous*), as
// the baseline of the process sizes benchmark (PreviousEncoding). Not used by the library.
using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Friture.Streaming.Data;

#pragma warning disable

namespace Friture.Streaming.Serialization.Legacy;

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
internal static class PreviousJsonFloat
{
    /// <summary>Longest text of one float: <c>-1.17549435E-38</c> is 15 bytes.</summary>
    public const int MaxLength = 16;

    private static readonly double[] PowersOfTen =
    [
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
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
            // Below 1e-4 the writer uses exponent notation (5.988E-08); searching those in double precision measured
            // slower than the writer's formatter for full-resolution values, so they go there. From 2^24, NaN, infinities.
            return 0;
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

    private static int Write(bool negative, ulong digits, int decimals, Span<byte> destination)
    {
        var position = 0;
        if (negative)
        {
            destination[position++] = (byte)'-';
        }

        var pow = (ulong)PowersOfTen[decimals];
        var integer = digits / pow;
        var fraction = digits - (integer * pow);
        position += WriteInteger(integer, destination[position..]);
        if (decimals > 0)
        {
            // Trailing zeros never occur at the first k found, but trimming keeps the text right regardless.
            while (decimals > 0 && fraction % 10 == 0)
            {
                fraction /= 10;
                decimals--;
            }

            if (decimals > 0)
            {
                destination[position++] = (byte)'.';
                for (var i = decimals - 1; i >= 0; i--)
                {
                    destination[position + i] = (byte)('0' + (int)(fraction % 10));
                    fraction /= 10;
                }

                position += decimals;
            }
        }

        return position;
    }

    private static int WriteInteger(ulong value, Span<byte> destination)
    {
        var length = 1;
        for (var t = value; t >= 10; t /= 10)
        {
            length++;
        }

        for (var i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }

        return length;
    }
}

/// <summary>
/// Writes an <see cref="ImmutableArray{T}"/> of float32 as one raw JSON value, each element formatted by
/// <see cref="PreviousJsonFloat"/>: the same bytes as the serializer's own converter (<c>[v0,v1,...]</c>, shortest round-trip
/// text), without a writer call per element. In a binary frame (<c>BinaryFrame</c>) the values are handed to the frame
/// instead (<see cref="FloatArrayCapture"/>). Reading is the serializer's own.
/// </summary>
internal sealed class PreviousFloatArrayJsonConverter : JsonConverter<ImmutableArray<float>>
{
    public override ImmutableArray<float> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, PreviousDefaultArrayJsonContext.Default.ImmutableArraySingle);

    public override void Write(Utf8JsonWriter writer, ImmutableArray<float> value, JsonSerializerOptions options)
    {
        var values = PreviousFloatJsonText.Values(value);
        PreviousFloatJsonText.ThrowIfNotFinite(writer, values);
        if (!FloatArrayCapture.TryCapture(writer, value))
        {
            PreviousFloatJsonText.WriteArray(writer, values);
        }
    }
}

/// <summary>
/// Writes rows of float32 (the scope's per-channel samples) as one raw JSON value, <c>[[...],[...]]</c>, byte for byte
/// what the serializer writes; in a binary frame, rows of equal length are handed to the frame.
/// </summary>
internal sealed class PreviousFloatMatrixJsonConverter : JsonConverter<ImmutableArray<ImmutableArray<float>>>
{
    public override ImmutableArray<ImmutableArray<float>> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, PreviousDefaultArrayJsonContext.Default.ImmutableArrayImmutableArraySingle);

    public override void Write(Utf8JsonWriter writer, ImmutableArray<ImmutableArray<float>> value, JsonSerializerOptions options)
    {
        var rows = PreviousFloatJsonText.Values(value);
        var length = 2;
        foreach (var row in rows)
        {
            var values = PreviousFloatJsonText.Values(row);
            PreviousFloatJsonText.ThrowIfNotFinite(writer, values);
            length += 3 + (values.Length * (PreviousJsonFloat.MaxLength + 1));
        }

        if (FloatArrayCapture.TryCapture(writer, value))
        {
            return;
        }

        byte[]? rented = null;
        var buffer = length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var position = 0;
        buffer[position++] = (byte)'[';
        for (var r = 0; r < rows.Length; r++)
        {
            if (r > 0)
            {
                buffer[position++] = (byte)',';
            }

            position += PreviousFloatJsonText.FormatArray(rows[r].AsSpan(), buffer[position..]);
        }

        buffer[position++] = (byte)']';
        writer.WriteRawValue(buffer[..position], skipInputValidation: true);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>Writes float32 values that may be missing (<c>null</c>) as one raw JSON value, as the serializer would.</summary>
internal sealed class PreviousNullableFloatArrayJsonConverter : JsonConverter<ImmutableArray<float?>>
{
    public override ImmutableArray<float?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, PreviousDefaultArrayJsonContext.Default.ImmutableArrayNullableSingle);

    public override void Write(Utf8JsonWriter writer, ImmutableArray<float?> value, JsonSerializerOptions options)
    {
        var values = PreviousFloatJsonText.Values(value);
        var length = 2 + (values.Length * (PreviousJsonFloat.MaxLength + 1));
        foreach (var item in values)
        {
            if (item is { } v && !float.IsFinite(v))
            {
                writer.WriteNumberValue(v); // throws the writer's own error, as before
            }
        }

        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var position = 0;
        buffer[position++] = (byte)'[';
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                buffer[position++] = (byte)',';
            }

            if (values[i] is { } v)
            {
                position += PreviousJsonFloat.Format(v, buffer[position..]);
            }
            else
            {
                "null"u8.CopyTo(buffer[position..]);
                position += 4;
            }
        }

        buffer[position++] = (byte)']';
        writer.WriteRawValue(buffer[..position], skipInputValidation: true);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>
/// Writes an array of strings element by element, exactly as the serializer does, but as a value converter: the
/// serializer's collection converter would take a stack frame that it allocates per message.
/// </summary>
internal sealed class PreviousStringArrayJsonConverter : JsonConverter<ImmutableArray<string>>
{
    public override ImmutableArray<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, PreviousDefaultArrayJsonContext.Default.ImmutableArrayString);

    public override void Write(Utf8JsonWriter writer, ImmutableArray<string> value, JsonSerializerOptions options)
    {
        var values = PreviousFloatJsonText.Values(value);
        writer.WriteStartArray();
        foreach (var item in values)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}

/// <summary>The serializer's own converters for the arrays above (reading, and the reference for tests).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ImmutableArray<float>))]
[JsonSerializable(typeof(ImmutableArray<ImmutableArray<float>>))]
[JsonSerializable(typeof(ImmutableArray<float?>))]
[JsonSerializable(typeof(ImmutableArray<string>))]
internal sealed partial class PreviousDefaultArrayJsonContext : JsonSerializerContext
{
}

/// <summary>Formatting of float arrays into one raw JSON value.</summary>
internal static class PreviousFloatJsonText
{
    /// <summary>The array's elements; a default (uninitialized) array throws what the serializer throws.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> Values<T>(ImmutableArray<T> value)
    {
        if (value.IsDefault)
        {
            // The serializer's converter enumerates the array, which throws InvalidOperationException.
            using var enumerator = ((IEnumerable<T>)value).GetEnumerator();
        }

        return value.AsSpan();
    }

    /// <summary>Throws the writer's own error when a value is NaN or infinite (JSON has no such numbers).</summary>
    public static void ThrowIfNotFinite(Utf8JsonWriter writer, ReadOnlySpan<float> values)
    {
        if (PreviousJsonFloat.AllFinite(values))
        {
            return;
        }

        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
        }
    }

    /// <summary>Writes <c>[v0,v1,...]</c> as one raw value.</summary>
    public static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<float> values)
    {
        var length = 2 + (values.Length * (PreviousJsonFloat.MaxLength + 1));
        byte[]? rented = null;
        var buffer = length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var written = FormatArray(values, buffer);
        writer.WriteRawValue(buffer[..written], skipInputValidation: true);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Formats <c>[v0,v1,...]</c> (finite values) into <paramref name="destination"/>.</summary>
    public static int FormatArray(ReadOnlySpan<float> values, Span<byte> destination)
    {
        var position = 0;
        destination[position++] = (byte)'[';
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                destination[position++] = (byte)',';
            }

            position += PreviousJsonFloat.Format(values[i], destination[position..]);
        }

        destination[position++] = (byte)']';
        return position;
    }
}

/// <summary>
/// Writes a <see cref="double"/> that holds a float32 value (most payload numbers: analyzers compute in float32) as
/// that float's shortest round-trip text, <c>-9.02925</c> instead of the widened <c>-9.029250144958496</c>; any
/// other double as its own shortest round-trip text.
/// </summary>
internal sealed class PreviousCompactDoubleJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        var single = (float)value;
        if ((double)single == value && float.IsFinite(single))
        {
            // The float's shortest text, exactly as WriteNumberValue(single) writes it (PreviousJsonFloat).
            Span<byte> text = stackalloc byte[PreviousJsonFloat.MaxLength];
            writer.WriteRawValue(text[..PreviousJsonFloat.Format(single, text)], skipInputValidation: true);
        }
        else
        {
            Span<byte> text = stackalloc byte[32];
            var written = PreviousJsonFloat.TryFormatFast(value, text);
            if (written > 0)
            {
                writer.WriteRawValue(text[..written], skipInputValidation: true);
            }
            else
            {
                writer.WriteNumberValue(value);
            }
        }
    }
}
