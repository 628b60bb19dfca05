using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization.Legacy;

/// <summary>
/// The binary frame encoder as it was before the direct encoder (2026-12-02): serialize the JSON envelope, find the
/// numeric arrays of "data" with a reader, parse their text back to float32 and cut them out of the header. Kept as the
/// reference that the new <see cref="BinaryFrame"/> must match byte for byte, and as the benchmark's baseline.
/// </summary>
internal static class LegacyBinaryFrame
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_json;

    [ThreadStatic]
    private static List<(int Start, int End)>? t_removed;

    [ThreadStatic]
    private static List<(int NameStart, int NameEnd, int ValuesStart, int Count, int Rows)>? t_arrays;

    [ThreadStatic]
    private static List<float>? t_values;

    private static ReadOnlySpan<byte> Magic => "FSB1"u8;

    /// <summary>Writes one message as a binary frame.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="data">The message.</param>
    public static void Write(IBufferWriter<byte> destination, StreamingData data)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(data);
        var json = t_json ??= new ArrayBufferWriter<byte>(4096);
        var removed = t_removed ??= [];
        var arrays = t_arrays ??= [];
        var values = t_values ??= [];
        json.ResetWrittenCount();
        removed.Clear();
        arrays.Clear();
        values.Clear();

        LegacyEncoding.WriteJson(json, data);
        var text = json.WrittenSpan;
        FindArrays(text, removed, arrays, values);

        // Header = envelope minus removed ranges, minus its final '}', plus ,"arrays":[...]} and padding.
        var headerLength = text.Length;
        foreach (var (start, end) in removed)
        {
            headerLength -= end - start;
        }

        var arraysLength = "\"arrays\":[]".Length + 1;
        foreach (var array in arrays)
        {
            arraysLength += (array.NameEnd - array.NameStart) + 2 + 4 + CountDigits(array.Count) + 1;
            if (array.Rows > 0)
            {
                arraysLength += 1 + CountDigits(array.Rows);
            }
        }

        headerLength += arraysLength;
        var padded = (headerLength + 3) & ~3;
        var total = 8 + padded + (4 * values.Count);
        var span = destination.GetSpan(total);
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)padded);
        var position = 8;
        var cursor = 0;
        foreach (var (start, end) in removed)
        {
            text[cursor..start].CopyTo(span[position..]);
            position += start - cursor;
            cursor = end;
        }

        var tail = text[cursor..^1];
        tail.CopyTo(span[position..]);
        position += tail.Length;
        position = Append(span, position, ",\"arrays\":["u8);
        for (var i = 0; i < arrays.Count; i++)
        {
            var array = arrays[i];
            if (i > 0)
            {
                span[position++] = (byte)',';
            }

            span[position++] = (byte)'[';
            text[array.NameStart..array.NameEnd].CopyTo(span[position..]);
            position += array.NameEnd - array.NameStart;
            span[position++] = (byte)',';
            array.Count.TryFormat(span[position..], out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            position += written;
            if (array.Rows > 0)
            {
                span[position++] = (byte)',';
                array.Rows.TryFormat(span[position..], out written, default, System.Globalization.CultureInfo.InvariantCulture);
                position += written;
            }

            span[position++] = (byte)']';
        }

        position = Append(span, position, "]}"u8);
        while (position < 8 + padded)
        {
            span[position++] = (byte)' ';
        }

        var floats = CollectionsMarshal.AsSpan(values);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(floats).CopyTo(span[position..]);
            position += floats.Length * 4;
        }
        else
        {
            foreach (var value in floats)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[position..], value);
                position += 4;
            }
        }

        destination.Advance(position);
    }

    private static void FindArrays(
        ReadOnlySpan<byte> text,
        List<(int Start, int End)> removed,
        List<(int NameStart, int NameEnd, int ValuesStart, int Count, int Rows)> arrays,
        List<float> values)
    {
        var reader = new Utf8JsonReader(text);
        var inData = false;
        var keptBefore = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1)
            {
                inData = reader.ValueTextEquals("data"u8);
                keptBefore = false;
                continue;
            }

            if (!inData || reader.CurrentDepth != 2)
            {
                continue;
            }

            var nameStart = (int)reader.TokenStartIndex;
            var nameEnd = nameStart + reader.ValueSpan.Length + 2;
            var lookahead = reader;
            lookahead.Read();
            var rows = 0;
            if (lookahead.TokenType != JsonTokenType.StartArray
                || !TryReadMatrix(ref lookahead, values, out var valuesStart, out var count, out rows))
            {
                keptBefore = true;
                reader.Skip();
                continue;
            }

            var end = (int)lookahead.BytesConsumed;
            if (keptBefore)
            {
                removed.Add((nameStart - 1, end));
            }
            else
            {
                removed.Add((nameStart, end < text.Length && text[end] == (byte)',' ? end + 1 : end));
            }

            arrays.Add((nameStart, nameEnd, valuesStart, count, rows));
            reader = lookahead;
        }
    }

    /// <summary>
    /// Reads a flat array of numbers (<paramref name="rows"/> = 0), or an array of at least one array of numbers, every
    /// one of the same length (channel-major: row after row). Anything else is left in the header.
    /// </summary>
    private static bool TryReadMatrix(ref Utf8JsonReader reader, List<float> values, out int valuesStart, out int count, out int rows)
    {
        rows = 0;
        valuesStart = values.Count;
        count = 0;
        var lookahead = reader;
        if (!lookahead.Read())
        {
            return false;
        }

        if (lookahead.TokenType != JsonTokenType.StartArray)
        {
            return TryReadFloats(ref reader, values, out valuesStart, out count);
        }

        var columns = -1;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.StartArray || !TryReadFloats(ref reader, values, out _, out var length) || (columns >= 0 && length != columns))
            {
                values.RemoveRange(valuesStart, values.Count - valuesStart);
                count = 0;
                rows = 0;
                return false;
            }

            columns = length;
            count += length;
            rows++;
        }

        return false;
    }

    private static bool TryReadFloats(ref Utf8JsonReader reader, List<float> values, out int valuesStart, out int count)
    {
        valuesStart = values.Count;
        count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.Number)
            {
                values.RemoveRange(valuesStart, values.Count - valuesStart);
                return false;
            }

            values.Add(reader.GetSingle());
            count++;
        }

        return false;
    }

    private static int Append(Span<byte> span, int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[position..]);
        return position + bytes.Length;
    }

    private static int CountDigits(int value) => value == 0 ? 1 : (int)Math.Floor(Math.Log10(value)) + 1;
}
