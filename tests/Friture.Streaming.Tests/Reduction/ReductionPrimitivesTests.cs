using Friture.Streaming.Reduction;
using Friture.Streaming.Reduction.Legacy;

namespace Friture.Streaming.Tests.Reduction;

/// <summary>
/// The building blocks of the fast reducers against the definitions they replace: <see cref="Rounding"/>'s table-driven
/// significant-digit rounding against <c>Math.Log10</c>/<c>Math.Pow</c> (the legacy formula), its vector step
/// rounding against the scalar one, and <see cref="Extrema"/>'s vector search against the scalar scan, all bit for bit.
/// </summary>
public sealed class ReductionPrimitivesTests
{
    private static readonly float[] Specials =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.MaxValue, -float.MaxValue, float.Epsilon,
        -float.Epsilon, 1e-40f, 0.125f, -0.125f, 0.005f, -61.005f, 0.000005f, 2.5e-5f, BitConverter.Int32BitsToSingle(0x7FC0_1234),
    ];

    [Fact]
    public void Significant_EveryThousandAndTwentyFirstBitPattern_SameAsLog10AndPow()
    {
        // 4.2 million floats spread over the whole range, both signs, normal and subnormal, NaNs and infinities.
        var mismatches = 0;
        var first = "";
        for (long bits = 0; bits <= uint.MaxValue; bits += 1021)
        {
            var value = BitConverter.UInt32BitsToSingle((uint)bits);
            var (expected, actual) = (LegacyRounding.Significant(value, 4), Rounding.Significant(value, 4));
            if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(actual) && mismatches++ == 0)
            {
                first = $"{value:R} (0x{bits:X8}): {actual:R}, expected {expected:R}";
            }
        }

        Assert.True(mismatches == 0, $"{mismatches} mismatches, the first {first}");
    }

    [Fact]
    public void Significant_AroundEveryPowerOfTen_SameAsLog10AndPow()
    {
        // The 512 floats around each power of ten from 1e-45 to 1e38 (where the decade changes), every digit count.
        for (var k = -45; k <= 38; k++)
        {
            var centre = BitConverter.SingleToInt32Bits((float)Math.Pow(10, k));
            for (var bits = Math.Max(1, centre - 256); bits <= Math.Min(0x7F7F_FFFF, centre + 256); bits++)
            {
                foreach (var value in (ReadOnlySpan<float>)[BitConverter.Int32BitsToSingle(bits), -BitConverter.Int32BitsToSingle(bits)])
                {
                    for (var digits = 1; digits <= 9; digits++)
                    {
                        var expected = LegacyRounding.Significant(value, digits);
                        var actual = Rounding.Significant(value, digits);
                        Assert.True(
                            BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
                            $"{value:R} to {digits} digits: {actual:R}, expected {expected:R}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Significant_SpanForm_SameAsScalarLegacy()
    {
        var random = new Random(11);
        for (var length = 0; length < 70; length++)
        {
            var values = RandomValues(random, length, 1e-6, 1e5);
            var expected = values.Select(v => LegacyRounding.Significant(v, 4)).ToArray();
            Rounding.Significant(values, 4);
            AssertBits(expected, values);
        }
    }

    [Theory]
    [InlineData(100.0)]
    [InlineData(1e3)]
    [InlineData(1e5)]
    public void Step_SpanForm_SameAsScalarLegacy(double inverseStep)
    {
        var random = new Random((int)inverseStep);
        for (var length = 0; length < 70; length++)
        {
            foreach (var (low, high) in (ReadOnlySpan<(double, double)>)[(-1, 1), (-150, 10), (-1e6, 1e6)])
            {
                var values = RandomValues(random, length, low, high);

                // Values exactly halfway between two steps (k + 1/2 steps, exact in binary): rounded to even.
                for (var i = 0; i < length; i += 7)
                {
                    values[i] = (float)((random.Next(-200, 200) + 0.5) / 8 / inverseStep * 8);
                }

                var expected = values.Select(v => LegacyRounding.Step(v, inverseStep)).ToArray();
                var decibels = values.Select(v => LegacyRounding.Decibels(v)).ToArray();
                var copy = values.ToArray();
                Rounding.Step(values, inverseStep);
                AssertBits(expected, values);
                Rounding.Decibels(copy);
                AssertBits(decibels, copy);
            }
        }
    }

    [Fact]
    public void Extrema_SameIndicesAsTheScalarScan()
    {
        var random = new Random(3);
        for (var round = 0; round < 4000; round++)
        {
            var length = 1 + random.Next(100);
            var values = RandomValues(random, length, -2, 2);
            if (round % 3 == 0)
            {
                // Many ties, signed zeros among them.
                for (var i = 0; i < length; i++)
                {
                    values[i] = random.Next(4) switch { 0 => 0f, 1 => -0f, 2 => 1f, _ => -1f };
                }
            }

            if (round % 50 == 0)
            {
                values[0] = float.NaN;
            }

            var (min, max) = ScalarMinMax(values);
            Assert.Equal((min, max), Extrema.FirstMinMaxIndices(values));
            Assert.Equal(max, Extrema.FirstMaxIndex(values));
        }
    }

    private static (int Min, int Max) ScalarMinMax(float[] values)
    {
        var min = 0;
        var max = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] < values[min])
            {
                min = i;
            }

            if (values[i] > values[max])
            {
                max = i;
            }
        }

        return (min, max);
    }

    private static float[] RandomValues(Random random, int length, double low, double high)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.Next(10) == 0 ? Specials[random.Next(Specials.Length)] : (float)(low + (random.NextDouble() * (high - low)));
        }

        return values;
    }

    private static void AssertBits(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"[{i}]: {actual[i]:R}, expected {expected[i]:R}");
        }
    }
}
