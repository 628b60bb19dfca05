using Friture.Streaming.Osc.Encoding;

namespace Friture.Streaming.Osc.Tests.Encoding;

public sealed class OscCodecTests
{
    [Fact]
    public void Write_IntMessage_IsBigEndianAndPadded()
    {
        var writer = new OscWriter();
        writer.BeginMessage("/a", ",i");
        writer.WriteInt(0x01020304);

        // "/a\0\0" ",i\0\0" then the int big-endian: the OSC 1.0 layout byte for byte.
        Assert.Equal(
            new byte[] { (byte)'/', (byte)'a', 0, 0, (byte)',', (byte)'i', 0, 0, 1, 2, 3, 4 },
            writer.ToArray());
    }

    [Theory]
    [InlineData("", 4)]
    [InlineData("a", 4)]
    [InlineData("abc", 4)]
    [InlineData("abcd", 8)]
    [InlineData("abcdefg", 8)]
    public void WriteString_Lengths_PadToMultipleOfFourWithAtLeastOneZero(string value, int expected)
    {
        var writer = new OscWriter();
        writer.WriteString(value);
        Assert.Equal(expected, writer.Length);
        Assert.Equal(0, writer.WrittenSpan[value.Length]);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 8)]
    [InlineData(4, 8)]
    [InlineData(5, 12)]
    public void WriteBlob_Lengths_SizePrefixAndPadding(int size, int expected)
    {
        var writer = new OscWriter();
        writer.WriteBlob(Enumerable.Repeat((byte)0xAB, size).ToArray());
        Assert.Equal(expected, writer.Length);
    }

    [Fact]
    public void RoundTrip_AllTypeTags_DecodesSameValues()
    {
        var writer = new OscWriter();
        writer.BeginMessage("/friture/test", ",ifsbs");
        writer.WriteInt(-42);
        writer.WriteFloat(440.5f);
        writer.WriteString("A4");
        writer.WriteBlob([1, 2, 3, 4, 5]);
        writer.WriteString("é");

        var message = Assert.IsType<OscMessage>(OscReader.Read(writer.WrittenSpan));
        Assert.Equal("/friture/test", message.Address);
        Assert.Equal("ifsbs", message.TypeTags);
        Assert.Equal(-42, message.Arguments[0]);
        Assert.Equal(440.5f, message.Arguments[1]);
        Assert.Equal("A4", message.Arguments[2]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, message.Arguments[3]);
        Assert.Equal("é", message.Arguments[4]);
    }

    [Fact]
    public void RoundTrip_NestedBundle_KeepsTimeTagsAndOrder()
    {
        var writer = new OscWriter();
        writer.BeginBundle(0x0123_4567_89AB_CDEF);
        writer.BeginElement();
        writer.BeginMessage("/one", ",f");
        writer.WriteFloat(1);
        writer.EndElement();
        writer.BeginElement();
        writer.BeginBundle(OscTimeTag.Immediately);
        writer.BeginElement();
        writer.BeginMessage("/two", ",s");
        writer.WriteString("x");
        writer.EndElement();
        writer.EndElement();

        var bytes = writer.ToArray();
        Assert.Equal("#bundle\0"u8.ToArray(), bytes[..8]);
        Assert.Equal(new byte[] { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF }, bytes[8..16]);
        var bundle = Assert.IsType<OscBundle>(OscReader.Read(bytes));
        Assert.Equal(0x0123_4567_89AB_CDEFUL, bundle.TimeTag);
        Assert.Equal("/one", Assert.IsType<OscMessage>(bundle.Elements[0]).Address);
        var inner = Assert.IsType<OscBundle>(bundle.Elements[1]);
        Assert.Equal(OscTimeTag.Immediately, inner.TimeTag);
        Assert.Equal("x", Assert.IsType<OscMessage>(inner.Elements[0]).Arguments[0]);
    }

    [Fact]
    public void Read_Malformed_Throws()
    {
        Assert.Throws<FormatException>(() => OscReader.Read([(byte)'/', (byte)'a', 0]));
        Assert.Throws<FormatException>(() => OscReader.Read("/a\0\0,f\0\0"u8));
        Assert.Throws<FormatException>(() => OscReader.Read("/a\0\0,x\0\0\0\0\0\0"u8));
        Assert.Throws<FormatException>(() => OscReader.Read("/a\0x,i\0\0\0\0\0\0"u8));
    }

    [Fact]
    public void TimeTag_KnownDates_MatchNtpEra()
    {
        // 1970-01-01 is 2,208,988,800 s after the NTP epoch (RFC 5905).
        Assert.Equal(2_208_988_800UL << 32, OscTimeTag.FromDateTimeOffset(DateTimeOffset.UnixEpoch));
        var half = OscTimeTag.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddMilliseconds(500));
        Assert.Equal(0x8000_0000UL, half & 0xFFFF_FFFF);
        var time = new DateTimeOffset(2026, 11, 23, 23, 5, 1, 250, TimeSpan.Zero);
        Assert.Equal(time, OscTimeTag.ToDateTimeOffset(OscTimeTag.FromDateTimeOffset(time)));
    }

    [Fact]
    public void Slip_SpecialBytes_AreEscapedAndRoundTrip()
    {
        byte[] packet = [1, Slip.End, 2, Slip.Esc, 3];
        var frame = Slip.Encode(packet);
        Assert.Equal(new byte[] { Slip.End, 1, Slip.Esc, Slip.EscEnd, 2, Slip.Esc, Slip.EscEsc, 3, Slip.End }, frame);
        var packets = Slip.Decode([.. frame, .. Slip.Encode([9, 9, 9, 9])]);
        Assert.Equal(2, packets.Count);
        Assert.Equal(packet, packets[0]);
    }
}
