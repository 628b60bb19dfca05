using System.Runtime.CompilerServices;

namespace Friture.Streaming.Serialization;

/// <summary>
/// The metadata's timestamp as <see cref="System.Text.Json.Utf8JsonWriter.WriteStringValue(DateTimeOffset)"/> writes it,
/// quoted: ISO 8601 <c>yyyy-MM-ddTHH:mm:ss</c>, then <c>.</c> and the fraction of the second (7 digits, trailing zeros
/// removed; nothing when it is zero), then the offset <c>+hh:mm</c> or <c>-hh:mm</c> (<c>+00:00</c> for UTC, as the
/// round-trip format writes a <see cref="DateTimeOffset"/>), without the general date formatter.
/// <c>JsonTimestampTests</c> compares it with the writer.
/// </summary>
internal static class JsonTimestamp
{
    /// <summary><c>"yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm"</c>: 35 bytes.</summary>
    public const int MaxQuotedLength = 35;

    /// <summary>Writes the quoted text of <paramref name="value"/>.</summary>
    /// <param name="value">The timestamp.</param>
    /// <param name="destination">At least <see cref="MaxQuotedLength"/> bytes.</param>
    /// <returns>The bytes written.</returns>
    public static int FormatQuoted(DateTimeOffset value, Span<byte> destination)
    {
        if (destination.Length < MaxQuotedLength)
        {
            throw new ArgumentException($"The destination needs {MaxQuotedLength} bytes.", nameof(destination));
        }

        var clock = value.DateTime; // the local clock time at the offset, which the text shows
        clock.Deconstruct(out int year, out int month, out int day);
        var ticks = clock.Ticks % TimeSpan.TicksPerDay;
        var seconds = (int)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (int)(ticks - (seconds * TimeSpan.TicksPerSecond));

        destination[0] = (byte)'"';
        Digits4(destination[1..], year);
        destination[5] = (byte)'-';
        Digits2(destination[6..], month);
        destination[8] = (byte)'-';
        Digits2(destination[9..], day);
        destination[11] = (byte)'T';
        Digits2(destination[12..], seconds / 3600);
        destination[14] = (byte)':';
        Digits2(destination[15..], seconds / 60 % 60);
        destination[17] = (byte)':';
        Digits2(destination[18..], seconds % 60);
        var position = 20;
        if (fraction != 0)
        {
            destination[position++] = (byte)'.';
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            for (var i = digits - 1; i >= 0; i--)
            {
                destination[position + i] = (byte)('0' + (fraction % 10));
                fraction /= 10;
            }

            position += digits;
        }

        var offsetMinutes = (int)(value.Offset.Ticks / TimeSpan.TicksPerMinute);
        if (offsetMinutes < 0)
        {
            destination[position++] = (byte)'-';
            offsetMinutes = -offsetMinutes;
        }
        else
        {
            destination[position++] = (byte)'+';
        }

        Digits2(destination[position..], offsetMinutes / 60);
        destination[position + 2] = (byte)':';
        Digits2(destination[(position + 3)..], offsetMinutes % 60);
        position += 5;
        destination[position++] = (byte)'"';
        return position;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Digits2(Span<byte> destination, int value)
    {
        destination[1] = (byte)('0' + (value % 10));
        destination[0] = (byte)('0' + (value / 10));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Digits4(Span<byte> destination, int value)
    {
        Digits2(destination[2..], value % 100);
        Digits2(destination, value / 100);
    }
}
