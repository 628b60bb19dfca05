using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Friture.Streaming.Data;

/// <summary>
/// Writes an <see cref="ImmutableArray{T}"/> of float32 as one raw JSON value, each element formatted by
/// <see cref="JsonFloat"/>: the same bytes as the serializer's own converter (<c>[v0,v1,...]</c>, shortest round-trip
/// text), without a writer call per element. In a binary frame (<c>BinaryFrame</c>) the values are handed to the frame
/// instead (<see cref="FloatArrayCapture"/>). Reading is the serializer's own.
/// </summary>
internal sealed class FloatArrayJsonConverter : JsonConverter<ImmutableArray<float>>
{
    public override ImmutableArray<float> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, DefaultArrayJsonContext.Default.ImmutableArraySingle);

    public override void Write(Utf8JsonWriter writer, ImmutableArray<float> value, JsonSerializerOptions options) =>
        WriteValue(writer, value);

    /// <summary>What <see cref="Write"/> writes, for the hand-written payload writers.</summary>
    public static void WriteValue(Utf8JsonWriter writer, ImmutableArray<float> value)
    {
        var values = FloatJsonText.Values(value);
        FloatJsonText.ThrowIfNotFinite(writer, values);
        if (!FloatArrayCapture.TryCapture(writer, value))
        {
            FloatJsonText.WriteArray(writer, values);
        }
    }

    /// <summary>
    /// The same, for an array that usually repeats from one message to the next (a spectrum's frequencies): the text is
    /// kept per thread and <paramref name="slot"/> and written again while the values are bit for bit the same.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, ImmutableArray<float> value, FloatTextCache.Slot slot)
    {
        var values = FloatJsonText.Values(value);
        FloatJsonText.ThrowIfNotFinite(writer, values);
        if (!FloatArrayCapture.TryCapture(writer, value))
        {
            FloatTextCache.WriteArray(writer, values, slot);
        }
    }
}

/// <summary>
/// Writes rows of float32 (the scope's per-channel samples) as one raw JSON value, <c>[[...],[...]]</c>, byte for byte
/// what the serializer writes; in a binary frame, rows of equal length are handed to the frame.
/// </summary>
internal sealed class FloatMatrixJsonConverter : JsonConverter<ImmutableArray<ImmutableArray<float>>>
{
    public override ImmutableArray<ImmutableArray<float>> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, DefaultArrayJsonContext.Default.ImmutableArrayImmutableArraySingle);

    public override void Write(Utf8JsonWriter writer, ImmutableArray<ImmutableArray<float>> value, JsonSerializerOptions options) =>
        WriteValue(writer, value);

    /// <summary>What <see cref="Write"/> writes, for the hand-written payload writers.</summary>
    [SkipLocalsInit]
    public static void WriteValue(Utf8JsonWriter writer, ImmutableArray<ImmutableArray<float>> value)
    {
        var rows = FloatJsonText.Values(value);
        var length = 2;
        foreach (var row in rows)
        {
            var values = FloatJsonText.Values(row);
            FloatJsonText.ThrowIfNotFinite(writer, values);
            length += 3 + (values.Length * (JsonFloat.MaxLength + 1));
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

            position += FloatJsonText.FormatArray(rows[r].AsSpan(), buffer[position..]);
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
internal sealed class NullableFloatArrayJsonConverter : JsonConverter<ImmutableArray<float?>>
{
    public override ImmutableArray<float?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, DefaultArrayJsonContext.Default.ImmutableArrayNullableSingle);

    public override void Write(Utf8JsonWriter writer, ImmutableArray<float?> value, JsonSerializerOptions options) =>
        WriteValue(writer, value);

    /// <summary>What <see cref="Write"/> writes, for the hand-written payload writers.</summary>
    [SkipLocalsInit]
    public static void WriteValue(Utf8JsonWriter writer, ImmutableArray<float?> value)
    {
        var values = FloatJsonText.Values(value);
        var length = 2 + (values.Length * (JsonFloat.MaxLength + 1));
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
                position += JsonFloat.Format(v, buffer[position..]);
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
internal sealed class StringArrayJsonConverter : JsonConverter<ImmutableArray<string>>
{
    public override ImmutableArray<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, DefaultArrayJsonContext.Default.ImmutableArrayString);

    public override void Write(Utf8JsonWriter writer, ImmutableArray<string> value, JsonSerializerOptions options) =>
        WriteValue(writer, value);

    /// <summary>What <see cref="Write"/> writes, for the hand-written payload writers.</summary>
    public static void WriteValue(Utf8JsonWriter writer, ImmutableArray<string> value)
    {
        var values = FloatJsonText.Values(value);
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
internal sealed partial class DefaultArrayJsonContext : JsonSerializerContext
{
}

/// <summary>Formatting of float arrays into one raw JSON value.</summary>
internal static class FloatJsonText
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
        if (JsonFloat.AllFinite(values))
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
    [SkipLocalsInit]
    public static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<float> values)
    {
        var length = 2 + (values.Length * (JsonFloat.MaxLength + 1));
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

            position += JsonFloat.Format(values[i], destination[position..]);
        }

        destination[position++] = (byte)']';
        return position;
    }
}

/// <summary>
/// The text of the float arrays that repeat from message to message (frequency grids, band edges, scope times), kept per
/// thread and per <see cref="Slot"/>: while the values are bit for bit those of the slot's last array, the kept text is
/// written instead of formatting them again (the same bytes: the text depends on the bits only). Arrays longer than
/// <see cref="MaxValues"/> are formatted every time (bounded memory: two entries of about 11 KB per slot and thread that uses it).
/// </summary>
internal static class FloatTextCache
{
    /// <summary>The longest array kept.</summary>
    public const int MaxValues = 512;

    [ThreadStatic]
    private static Entry?[]? t_entries;

    /// <summary>Which array a text belongs to (one entry per slot and thread).</summary>
    public enum Slot
    {
        /// <summary>fft_spectrum.frequencies.</summary>
        FftFrequencies,

        /// <summary>spectrogram.frequencies.</summary>
        SpectrogramFrequencies,

        /// <summary>octave_spectrum.center_frequencies.</summary>
        OctaveCenters,

        /// <summary>octave_spectrum.lower_frequencies.</summary>
        OctaveLower,

        /// <summary>octave_spectrum.upper_frequencies.</summary>
        OctaveUpper,

        /// <summary>scope.times.</summary>
        ScopeTimes,
    }

    /// <summary>Writes <c>[v0,v1,...]</c> (finite values) as one raw value, from the slot's text when the values repeat.</summary>
    public static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<float> values, Slot slot)
    {
        if (values.Length > MaxValues)
        {
            FloatJsonText.WriteArray(writer, values);
            return;
        }

        // Two entries per slot (one thread may encode the same type at two resolutions in turn); a miss replaces the one
        // not used last.
        var entries = t_entries ??= new Entry?[2 * ((int)Slot.ScopeTimes + 1)];
        var index = 2 * (int)slot;
        var bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(values);
        var entry = entries[index] ??= new Entry();
        if (!entry.Holds(bits))
        {
            var second = entries[index + 1] ??= new Entry();
            if (second.Holds(bits))
            {
                entry = second;
                entries[index + 1] = entries[index];
                entries[index] = second; // most recently used first
            }
            else
            {
                entry = entries[index + 1]!;
                entries[index + 1] = entries[index];
                entries[index] = entry;
                entry.Count = -1; // (a throw below leaves the entry empty, never stale)
                entry.TextLength = FloatJsonText.FormatArray(values, entry.Text);
                values.CopyTo(entry.Values);
                entry.Count = values.Length;
            }
        }

        writer.WriteRawValue(entry.Text.AsSpan(0, entry.TextLength), skipInputValidation: true);
    }

    private sealed class Entry
    {
        public float[] Values { get; } = new float[MaxValues];

        public byte[] Text { get; } = new byte[2 + (MaxValues * (JsonFloat.MaxLength + 1))];

        public int Count { get; set; } = -1;

        public int TextLength { get; set; }

        public bool Holds(ReadOnlySpan<uint> bits) =>
            Count == bits.Length && bits.SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(Values.AsSpan(0, Count)));
    }
}

/// <summary>
/// The binary frame's hook into the array converters: while <c>BinaryFrame.Write</c> serializes a message on this thread
/// with <see cref="Begin"/>'s writer, a float array (or rows of equal length) at the payload's top level is recorded
/// here with its offset in the text, and the converter writes the placeholder <c>[]</c> instead of its values.
/// </summary>
internal static class FloatArrayCapture
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static List<Entry>? t_entries;

    /// <summary>Starts capturing for <paramref name="writer"/> on this thread; returns the (cleared) list it fills.</summary>
    public static List<Entry> Begin(Utf8JsonWriter writer)
    {
        var entries = t_entries ??= [];
        entries.Clear();
        t_writer = writer;
        return entries;
    }

    /// <summary>Stops capturing and drops the references to the payload's arrays.</summary>
    public static void End()
    {
        t_writer = null;
        t_entries?.Clear();
    }

    /// <summary>Records a flat array and writes its placeholder, when capturing for this writer at the payload's top level.</summary>
    public static bool TryCapture(Utf8JsonWriter writer, ImmutableArray<float> values)
    {
        if (t_writer != writer || writer.CurrentDepth != 2)
        {
            return false;
        }

        t_entries!.Add(new Entry(writer.BytesCommitted + writer.BytesPending, values, default, values.Length, 0));
        writer.WriteRawValue("[]"u8, skipInputValidation: true);
        return true;
    }

    /// <summary>The same for rows, when every row has the same length (a ragged array stays text, as before).</summary>
    public static bool TryCapture(Utf8JsonWriter writer, ImmutableArray<ImmutableArray<float>> rows)
    {
        if (t_writer != writer || writer.CurrentDepth != 2)
        {
            return false;
        }

        var count = 0;
        for (var r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != rows[0].Length)
            {
                return false;
            }

            count += rows[r].Length;
        }

        t_entries!.Add(new Entry(writer.BytesCommitted + writer.BytesPending, default, rows, count, rows.Length));
        writer.WriteRawValue("[]"u8, skipInputValidation: true);
        return true;
    }

    /// <summary>One captured array: where its placeholder starts, its values, and its [name, count, rows] figures.</summary>
    internal readonly record struct Entry(long Offset, ImmutableArray<float> Flat, ImmutableArray<ImmutableArray<float>> Matrix, int Count, int Rows);
}
