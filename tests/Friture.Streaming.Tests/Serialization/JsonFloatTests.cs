using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Friture.Streaming.Serialization.Legacy;
using Friture.Streaming.TestSupport;

namespace Friture.Streaming.Tests.Serialization;

/// <summary>
/// <see cref="JsonFloat"/> against the reference, <c>Utf8JsonWriter.WriteNumberValue(float)</c> (the shortest round-trip
/// text System.Text.Json writes), byte for byte, on millions of values: random bit patterns, a stride through every
/// float, every kind of value the reducers produce, and the edge cases.
/// </summary>
public sealed class JsonFloatTests
{
    private static readonly int[] Rates = [44_100, 48_000, 96_000, 192_000];
    private readonly ArrayBufferWriter<byte> _reference = new(64);
    private readonly Utf8JsonWriter _writer;
    private readonly byte[] _mine = new byte[JsonFloat.MaxLength];
    private int _checked;
    private int _fast;

    public JsonFloatTests() => _writer = new Utf8JsonWriter(_reference);

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)] // Millions of values: full lane only (the fast lane keeps the sampled checks).
    public void RandomBitPatterns_4M_SameTextAsTheWriter()
    {
        var random = new Random(12);
        for (var i = 0; i < 4_000_000; i++)
        {
            Check(BitConverter.Int32BitsToSingle(random.Next() | (random.Next(2) << 31)));
        }

        Assert.True(_checked > 3_900_000, $"{_checked} finite values checked");
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)] // Millions of values: full lane only (the fast lane keeps the sampled checks).
    public void EveryFloatWithAStrideOf509_SameTextAsTheWriter()
    {
        // 4.2 million positive finite floats spread over every exponent, and their negatives for one in eight.
        for (var bits = 0u; bits < 0x7F80_0000u; bits += 509)
        {
            var value = BitConverter.UInt32BitsToSingle(bits);
            Check(value);
            if ((bits & 7) == 0)
            {
                Check(-value);
            }
        }

        Assert.True(_checked > 4_000_000, $"{_checked} values checked");
    }

    [Fact]
    public void ReducerOutputs_SameTextAsTheWriter_AndAlmostAllTakeTheFastPath()
    {
        // What Rounding produces for the network defaults: levels to 0.01 dB, frequencies and linear magnitudes to 4
        // significant digits, scope samples to 0.001, times to 10 us; plus the levels' and spectra's unrounded values.
        var random = new Random(7);
        for (var i = 0; i < 1_000_000; i++)
        {
            Check(Rounding.Decibels((float)((random.NextDouble() * 220) - 200)));
            Check(Rounding.Significant((float)(random.NextDouble() * 96_000), 4));
            Check(Rounding.Step((float)((random.NextDouble() * 2) - 1), 1e3));
            Check(Rounding.Step((float)(random.NextDouble() * 60), 1e5));
        }

        var rounded = _fast;
        var roundedChecked = _checked;
        for (var i = 0; i < 500_000; i++)
        {
            Check(Rounding.Significant((float)Math.Pow(10, (random.NextDouble() * 12) - 10), 4)); // magnitudes 1e-10 .. 100
            Check((float)((random.NextDouble() * 220) - 200)); // unrounded dB
            Check((float)(random.NextDouble() * 24_000)); // bin frequencies
        }

        // The claim behind the speed: rounded values never need the general formatter.
        Assert.True(rounded >= roundedChecked * 0.9999, $"{rounded} of {roundedChecked} rounded values took the fast path");
    }

    [Fact]
    public void SmallMagnitudes_ExponentNotation_SameTextAsTheWriter()
    {
        // 1e-21 .. 1.1e-4, every 101st float: the exponent-notation range (5.988E-08) and the switch to fixed notation.
        for (var bits = BitConverter.SingleToUInt32Bits(1e-21f); bits < BitConverter.SingleToUInt32Bits(1.1e-4f); bits += 101)
        {
            Check(BitConverter.UInt32BitsToSingle(bits));
        }

        Assert.True(_checked > 1_000_000, $"{_checked} values checked");
    }

    [Fact]
    public void SmallMagnitudes_FastPath_SampledAndRounded_SameTextAsTheWriter_AndAlmostAllTakeIt()
    {
        // Every 97th float from 1e-14 to 1e-4 (2.3 million: the exponent-notation fast path's range, both signs), then
        // the reducer's 4-significant-digit linear magnitudes in that range; the whole range is in the slow lane below.
        var low = BitConverter.SingleToUInt32Bits(1e-14f);
        var high = BitConverter.SingleToUInt32Bits(1e-4f);
        for (var bits = low; bits < high; bits += 97)
        {
            Check(BitConverter.UInt32BitsToSingle(bits));
            if ((bits & 15) == 0)
            {
                Check(-BitConverter.UInt32BitsToSingle(bits));
            }
        }

        Assert.True(_fast >= _checked * 0.999, $"{_fast} of {_checked} sampled values took the fast path");

        var random = new Random(5);
        _fast = 0;
        _checked = 0;
        for (var i = 0; i < 300_000; i++)
        {
            Check(Rounding.Significant((float)Math.Pow(10, (random.NextDouble() * 10) - 14), 4));
        }

        Assert.True(_fast >= _checked * 0.999, $"{_fast} of {_checked} rounded magnitudes took the fast path");
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)]
    public void SmallMagnitudes_EveryFloatOfTheFastPathRange_SameTextAsTheWriter()
    {
        // All 279 million positive floats from 1e-14 to 1e-4 (the sign only adds '-'): slow, so in the full lane only.
        var low = BitConverter.SingleToUInt32Bits(1e-14f);
        var high = BitConverter.SingleToUInt32Bits(1e-4f);
        for (var bits = low; bits < high; bits++)
        {
            Check(BitConverter.UInt32BitsToSingle(bits));
        }

        Assert.Equal((int)(high - low), _checked);
        Assert.True(_fast >= _checked * 0.999, $"{_fast} of {_checked} took the fast path");
    }

    [Fact]
    public void BinFrequenciesAndDbSteps_Exhaustive_SameTextAsTheWriter()
    {
        // Every bin frequency of FFT sizes 256 to 65536 at common rates, and every 0.01 dB from -200 to +20.
        foreach (var rate in new[] { 8_000, 22_050, 44_100, 48_000, 96_000, 192_000 })
        {
            for (var size = 256; size <= 65_536; size *= 2)
            {
                for (var bin = 0; bin <= size / 2; bin++)
                {
                    Check((float)bin * rate / size);
                    Check((float)((double)bin * rate / size));
                }
            }
        }

        for (var hundredths = -20_000; hundredths <= 2_000; hundredths++)
        {
            Check(Rounding.Decibels(hundredths / 100f));
            Check((float)(hundredths / 100.0));
        }

        Assert.True(_checked > 800_000, $"{_checked} values checked");
    }

    [Fact]
    public void EdgeCases_SameTextAsTheWriter()
    {
        var values = new List<float>
        {
            0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1.17549435E-38f, 1.1754942E-38f,
            1e-4f, 9.9999997E-05f, 1.00000005E-04f, 1e-5f, 1e-3f, 0.1f, 0.2f, 0.3f, 1f / 3, 2f / 3, 1e9f, 999_999_900f,
            16_777_215f, 16_777_216f, 16_777_218f, 131_072f, 131_071.99f, 8_388_608f, 8_388_607.5f, 1e7f, 1e8f, 1e15f, 3e38f,
        };

        // Every power of two and of ten, and their neighbours several ulps either side.
        for (var e = -149; e <= 127; e++)
        {
            values.Add(MathF.ScaleB(1, e));
        }

        for (var e = -45; e <= 38; e++)
        {
            values.Add(float.Parse($"1e{e}", System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var value in values.ToArray())
        {
            var up = value;
            var down = value;
            for (var step = 0; step < 8; step++)
            {
                up = MathF.BitIncrement(up);
                down = MathF.BitDecrement(down);
                values.Add(up);
                values.Add(down);
            }
        }

        // The whole range 1e-5 .. 1e-4 around the switch to exponent notation, and every subnormal with a stride.
        for (var bits = BitConverter.SingleToUInt32Bits(1e-5f); bits <= BitConverter.SingleToUInt32Bits(1.1e-4f); bits += 3)
        {
            values.Add(BitConverter.UInt32BitsToSingle(bits));
        }

        for (var bits = 1u; bits < 0x0080_0000u; bits += 101)
        {
            values.Add(BitConverter.UInt32BitsToSingle(bits));
        }

        foreach (var value in values)
        {
            Check(value);
            Check(-value);
        }

        Assert.Equal("-0"u8.ToArray(), _mine.AsSpan(0, JsonFloat.Format(-0f, _mine)).ToArray());
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Integration)] // Millions of values: full lane only (the fast lane keeps the sampled checks).
    public void Doubles_3M_FastPathTextIsTheWritersWheneverItAnswers()
    {
        // The fields computed in double precision: stream times (samples / rate), frequencies, short decimals of every
        // magnitude, and random bit patterns; the fast path must answer exactly as WriteNumberValue(double) or not at all.
        var random = new Random(3);
        var fastDecimals = 0;
        var decimals = 0;
        for (var i = 0; i < 500_000; i++)
        {
            CheckDouble(BitConverter.Int64BitsToDouble(random.NextInt64() | (random.Next(2) == 0 ? 0 : long.MinValue)));
            CheckDouble((double)random.Next(0, int.MaxValue) / Rates[i & 3]);
            CheckDouble(440 * Math.Pow(2, (random.NextDouble() * 96) - 48));
            CheckDouble((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 12)));
            var k = random.Next(0, 10);
            var text = (random.NextInt64(1, 10_000_000_000) * (random.Next(2) == 0 ? 1 : -1) / Math.Pow(10, k)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var value = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            decimals++;
            if (CheckDouble(value))
            {
                fastDecimals++;
            }
        }

        foreach (var edge in new[] { 1e-4, 9.999999999999999e-5, 0.1, 0.2, 0.3, 1.0 / 3, 8_589_934_591.5, 8_589_934_592.0, 4_503_599_627_370_496.0, 123_456_789.123, double.Epsilon, double.MaxValue })
        {
            CheckDouble(edge);
            CheckDouble(-edge);
            CheckDouble(Math.BitIncrement(edge));
            CheckDouble(Math.BitDecrement(edge));
        }

        Assert.True(fastDecimals > decimals / 2, $"{fastDecimals} of {decimals} short decimals took the fast path");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFinite_ThrowsWhatTheSerializerThrew_InJsonAndBinary(float bad)
    {
        var levels = new StreamingData(
            new StreamingMetadata { DataType = DataType.Levels, Timestamp = DateTimeOffset.UnixEpoch },
            new LevelsData { PeakLevelsDb = [-1f, bad], RmsLevelsDb = [-3f, -4f], ChannelLabels = ["ch1", "ch2"] });
        var pitch = new StreamingData(
            new StreamingMetadata { DataType = DataType.PitchTracker, Timestamp = DateTimeOffset.UnixEpoch },
            new PitchData { AmplitudeDb = bad });

        foreach (var data in new[] { levels, pitch })
        {
            var expected = Assert.ThrowsAny<Exception>(() => LegacyEncoding.Json(data));
            var json = Assert.ThrowsAny<Exception>(() => StreamingJson.SerializeToUtf8Bytes(data));
            var binary = Assert.ThrowsAny<Exception>(() => BinaryFrame.ToArray(data));
            Assert.Equal(expected.GetType(), json.GetType());
            Assert.Equal(expected.Message, json.Message);
            Assert.Equal(expected.GetType(), binary.GetType());
            Assert.Equal(expected.Message, binary.Message);
        }

        // The next message on the same thread is fine (the thread's writer and capture were reset).
        var good = new StreamingData(levels.Metadata, new LevelsData { PeakLevelsDb = [-1f], ChannelLabels = ["ch1"] });
        Assert.Equal(LegacyEncoding.Json(good), StreamingJson.SerializeToUtf8Bytes(good));
        Assert.Equal(LegacyEncoding.Binary(good), BinaryFrame.ToArray(good));
    }

    [Fact]
    public void DefaultImmutableArray_ThrowsWhatTheSerializerThrew()
    {
        var data = new StreamingData(
            new StreamingMetadata { DataType = DataType.Spectrogram, Timestamp = DateTimeOffset.UnixEpoch },
            new SpectrogramData { Frequencies = default, MagnitudesDb = [1f] });

        var expected = Assert.ThrowsAny<Exception>(() => LegacyEncoding.Json(data));
        var actual = Assert.ThrowsAny<Exception>(() => StreamingJson.SerializeToUtf8Bytes(data));

        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
    }

    private bool CheckDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            return false;
        }

        Span<byte> mine = stackalloc byte[32];
        var written = JsonFloat.TryFormatFast(value, mine);
        if (written == 0)
        {
            return false;
        }

        _reference.ResetWrittenCount();
        _writer.Reset(_reference);
        _writer.WriteNumberValue(value);
        _writer.Flush();
        if (!_reference.WrittenSpan.SequenceEqual(mine[..written]))
        {
            Assert.Fail($"{value:R}: writer '{Encoding.UTF8.GetString(_reference.WrittenSpan)}', JsonFloat '{Encoding.UTF8.GetString(mine[..written])}'");
        }

        return true;
    }

    private void Check(float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        _reference.ResetWrittenCount();
        _writer.Reset(_reference);
        _writer.WriteNumberValue(value);
        _writer.Flush();
        var written = JsonFloat.Format(value, _mine);
        if (!_reference.WrittenSpan.SequenceEqual(_mine.AsSpan(0, written)))
        {
            Assert.Fail($"{value:R} (0x{BitConverter.SingleToUInt32Bits(value):X8}): writer '{Encoding.UTF8.GetString(_reference.WrittenSpan)}', JsonFloat '{Encoding.UTF8.GetString(_mine, 0, written)}'");
        }

        _checked++;
        if (JsonFloat.TryFormatFast(value, _mine) > 0)
        {
            _fast++;
        }
    }
}
