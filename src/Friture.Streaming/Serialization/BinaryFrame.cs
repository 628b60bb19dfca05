using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization;

/// <summary>
/// The binary wire format (<see cref="SerializationFormat.Binary"/>): the JSON envelope with its large numeric arrays
/// moved out as little-endian float32, so a 4,097-bin spectrum costs 16 KiB instead of about 40 KiB of text.
/// </summary>
/// <remarks>
/// <para>Layout of one frame (all integers little-endian):</para>
/// <code>
/// offset  size   field
/// 0       4      magic, ASCII "FSB1"
/// 4       4      H: uint32, byte length of the header (a multiple of 4; padded with ASCII spaces)
/// 8       H      header: UTF-8 JSON, the envelope {"metadata":{...},"data":{...},"arrays":[["name",count],...]}
///                from which every numeric array of "data" (flat, or rows of equal length) has been removed and
///                listed in "arrays" as [name, count] or [name, count, rows]
/// 8+H     4*n    the listed arrays, in order, as float32 values back to back (8+H is a multiple of 4)
/// </code>
/// <para>
/// Decoding: read the header, then for each <c>[name, count]</c> take <c>count</c> float32 values and store them as
/// <c>data[name]</c>; an entry <c>[name, count, rows]</c> is a two-dimensional array (the scope's per-channel samples),
/// <c>rows</c> rows of <c>count / rows</c> values, row after row. String arrays and ragged arrays stay in the JSON header.
/// Values are float32, as produced by the analyzers, so the frame is lossless. Thread-safe; scratch buffers are
/// per thread and reused.
/// </para>
/// </remarks>
public static class BinaryFrame
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_json;

    [ThreadStatic]
    private static List<(int Start, int End)>? t_removed;

    [ThreadStatic]
    private static List<(int NameStart, int NameEnd, int ValuesStart, int Count, int Rows)>? t_arrays;

    [ThreadStatic]
    private static List<float>? t_values;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;


    /// <summary>The four magic bytes that start every frame: ASCII <c>FSB1</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "FSB1"u8;

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

        // The envelope's JSON, in which the array converters leave "[]" where they hand a float array to the capture
        // (no text formatting and parsing back); every other array is found and parsed as text, as always.
        var writer = t_writer ??= new Utf8JsonWriter(json);
        writer.Reset(json);
        var captured = FloatArrayCapture.Begin(writer);
        try
        {
            StreamingJson.Serialize(writer, data);
            writer.Flush();
            var text = json.WrittenSpan;
            FindArrays(text, removed, arrays, values, captured);
            WriteFrame(destination, text, removed, arrays, values);
        }
        finally
        {
            FloatArrayCapture.End();
            writer.Reset(StreamingJson.Detached); // drop the reference to the buffer
        }
    }

    private static void WriteFrame(
        IBufferWriter<byte> destination,
        ReadOnlySpan<byte> text,
        List<(int Start, int End)> removed,
        List<(int NameStart, int NameEnd, int ValuesStart, int Count, int Rows)> arrays,
        List<float> values)
    {
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

    /// <summary>Writes one message as a binary frame into a new array.</summary>
    /// <param name="data">The message.</param>
    /// <returns>The frame.</returns>
    public static byte[] ToArray(StreamingData data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, data);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a binary frame back into a message (for tests and .NET clients).</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The message.</returns>
    /// <exception cref="FormatException">The bytes are not a valid frame.</exception>
    public static StreamingData Read(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 8 || !frame[..4].SequenceEqual(Magic))
        {
            throw new FormatException("A binary frame starts with the magic bytes 'FSB1' and a 4-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]);
        if (headerLength > (uint)(frame.Length - 8))
        {
            throw new FormatException($"The header length {headerLength} exceeds the frame's {frame.Length - 8} remaining bytes.");
        }

        var floats = frame[(8 + (int)headerLength)..];
        using var document = JsonDocument.Parse(frame.Slice(8, (int)headerLength).ToArray());
        var root = document.RootElement;
        var output = new ArrayBufferWriter<byte>(frame.Length * 3);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("arrays"))
                {
                    continue;
                }

                if (!property.NameEquals("data"))
                {
                    property.WriteTo(writer);
                    continue;
                }

                writer.WriteStartObject("data");
                foreach (var field in property.Value.EnumerateObject())
                {
                    field.WriteTo(writer);
                }

                var offset = 0;
                if (root.TryGetProperty("arrays", out var list))
                {
                    foreach (var entry in list.EnumerateArray())
                    {
                        var name = entry[0].GetString() ?? throw new FormatException("An array entry needs a name.");
                        var count = entry[1].GetInt32();
                        if (count < 0 || offset + (4L * count) > floats.Length)
                        {
                            throw new FormatException($"Array '{name}' of {count} values runs past the end of the frame.");
                        }

                        var rows = entry.GetArrayLength() > 2 ? entry[2].GetInt32() : 0;
                        if (rows < 0 || (rows > 0 && count % rows != 0))
                        {
                            throw new FormatException($"Array '{name}' of {count} values cannot be {rows} rows of equal length.");
                        }

                        writer.WriteStartArray(name);
                        var columns = rows > 0 ? count / rows : count;
                        for (var i = 0; i < count; i++)
                        {
                            if (rows > 0 && i % columns == 0)
                            {
                                writer.WriteStartArray();
                            }

                            writer.WriteNumberValue(BinaryPrimitives.ReadSingleLittleEndian(floats[(offset + (4 * i))..]));
                            if (rows > 0 && i % columns == columns - 1)
                            {
                                writer.WriteEndArray();
                            }
                        }

                        if (rows > 0 && columns == 0)
                        {
                            for (var r = 0; r < rows; r++)
                            {
                                writer.WriteStartArray();
                                writer.WriteEndArray();
                            }
                        }

                        writer.WriteEndArray();
                        offset += 4 * count;
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return StreamingJson.Deserialize(output.WrittenSpan);
    }

    private static void FindArrays(
        ReadOnlySpan<byte> text,
        List<(int Start, int End)> removed,
        List<(int NameStart, int NameEnd, int ValuesStart, int Count, int Rows)> arrays,
        List<float> values,
        List<FloatArrayCapture.Entry> captured)
    {
        var reader = new Utf8JsonReader(text);
        var nextCaptured = 0;
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
            int valuesStart;
            int count;
            if (nextCaptured < captured.Count && lookahead.TokenType == JsonTokenType.StartArray
                && captured[nextCaptured].Offset == lookahead.TokenStartIndex)
            {
                var entry = captured[nextCaptured++];
                valuesStart = values.Count;
                count = entry.Count;
                rows = entry.Rows;
                if (entry.Rows == 0)
                {
                    values.AddRange(entry.Flat.AsSpan());
                }
                else
                {
                    foreach (var row in entry.Matrix)
                    {
                        values.AddRange(row.AsSpan());
                    }
                }

                lookahead.Skip();
            }
            else if (lookahead.TokenType != JsonTokenType.StartArray
                || !TryReadMatrix(ref lookahead, values, out valuesStart, out count, out rows))
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
