using System.Buffers;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Tests.Serialization;

/// <summary>
/// <see cref="JsonTimestamp"/> against the reference, <c>Utf8JsonWriter.WriteStringValue(DateTimeOffset)</c> (what the
/// serializer wrote for the metadata's timestamp), byte for byte.
/// </summary>
public sealed class JsonTimestampTests
{
    private readonly ArrayBufferWriter<byte> _reference = new(64);
    private readonly Utf8JsonWriter _writer;
    private readonly byte[] _mine = new byte[JsonTimestamp.MaxQuotedLength];

    public JsonTimestampTests() => _writer = new Utf8JsonWriter(_reference);

    [Fact]
    public void Random_200k_SameTextAsTheWriter()
    {
        // Any instant from year 1 to 9999, any whole-minute offset from -14 h to +14 h, and fractions with 0 to 7 digits.
        var random = new Random(11);
        var checkedCount = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, (14 * 60) + 1));
            var ticks = random.NextInt64(DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks);
            ticks -= ticks % (long)Math.Pow(10, random.Next(0, 8)); // trailing zeros in the fraction, or none at all
            if (ticks - offset.Ticks < DateTimeOffset.MinValue.Ticks || ticks - offset.Ticks > DateTimeOffset.MaxValue.Ticks)
            {
                continue;
            }

            Check(new DateTimeOffset(ticks, offset));
            checkedCount++;
        }

        Assert.True(checkedCount > 190_000, $"{checkedCount} checked");
    }

    [Fact]
    public void EdgeCases_SameTextAsTheWriter()
    {
        var values = new List<DateTimeOffset>
        {
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, new(2026, 12, 2, 16, 30, 0, 123, TimeSpan.Zero),
            new(2024, 2, 29, 23, 59, 59, TimeSpan.FromMinutes(-570)), new(1, 1, 1, 14, 0, 0, TimeSpan.FromHours(14)),
            new(9999, 12, 31, 9, 59, 59, TimeSpan.FromHours(-14)), new(2000, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(-1)),
            new(2000, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(1)), DateTimeOffset.MaxValue.AddTicks(-9_999_999),
        };
        foreach (var value in values.ToArray())
        {
            for (var ticks = 1; ticks <= 10_000_000; ticks *= 10)
            {
                if (value.Ticks + ticks <= DateTimeOffset.MaxValue.Ticks && value.UtcTicks + ticks <= DateTimeOffset.MaxValue.UtcTicks)
                {
                    values.Add(value.AddTicks(ticks));
                }
            }
        }

        foreach (var value in values)
        {
            Check(value);
        }

        Assert.Equal("\"2026-12-02T16:30:00.123+00:00\"", Text(new(2026, 12, 2, 16, 30, 0, 123, TimeSpan.Zero)));
        Assert.Equal("\"2000-01-01T00:00:00-00:01\"", Text(new(2000, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(-1))));
    }

    [Fact]
    public void ShortDestination_Throws()
    {
        Assert.Throws<ArgumentException>(() => JsonTimestamp.FormatQuoted(DateTimeOffset.UnixEpoch, new byte[JsonTimestamp.MaxQuotedLength - 1]));
    }

    private string Text(DateTimeOffset value) => Encoding.UTF8.GetString(_mine, 0, JsonTimestamp.FormatQuoted(value, _mine));

    private void Check(DateTimeOffset value)
    {
        _reference.ResetWrittenCount();
        _writer.Reset(_reference);
        _writer.WriteStringValue(value);
        _writer.Flush();
        var written = JsonTimestamp.FormatQuoted(value, _mine);
        if (!_reference.WrittenSpan.SequenceEqual(_mine.AsSpan(0, written)))
        {
            Assert.Fail($"{value:O}: writer {Encoding.UTF8.GetString(_reference.WrittenSpan)}, JsonTimestamp {Encoding.UTF8.GetString(_mine, 0, written)}");
        }
    }
}
