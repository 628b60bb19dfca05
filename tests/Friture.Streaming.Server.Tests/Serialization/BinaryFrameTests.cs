using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Data;
using Friture.Streaming.Serialization;
using Friture.Streaming.Server.Tests.Support;

namespace Friture.Streaming.Server.Tests.Serialization;

public sealed class BinaryFrameTests
{
    [Fact]
    public void Write_Spectrum_HasDocumentedLayoutAndRoundTrips()
    {
        var sent = TestData.Spectrum(12, 1025);

        var frame = BinaryFrame.ToArray(sent);

        Assert.Equal("FSB1"u8.ToArray(), frame[..4]);
        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4));
        Assert.Equal(0, headerLength % 4);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(frame, 8, headerLength));
        var arrays = header.RootElement.GetProperty("arrays").EnumerateArray().Select(static a => (a[0].GetString(), a[1].GetInt32())).ToList();
        Assert.Equal([("frequencies", 1025), ("magnitudes_linear", 1025), ("magnitudes_db", 1025)], arrays);
        Assert.False(header.RootElement.GetProperty("data").TryGetProperty("magnitudes_db", out _));
        Assert.Equal(8 + headerLength + (3 * 1025 * 4), frame.Length);
        var spectrum = (FftSpectrumData)sent.Data;
        Assert.Equal(spectrum.MagnitudesDb[7], BinaryPrimitives.ReadSingleLittleEndian(frame.AsSpan(8 + headerLength + (2 * 1025 * 4) + (7 * 4))));

        var back = BinaryFrame.Read(frame);
        Assert.Equal(StreamingJson.Serialize(sent), StreamingJson.Serialize(back));
    }

    [Fact]
    public void Write_PayloadWithoutNumericArrays_KeepsEverythingInTheHeader()
    {
        var sent = TestData.Pitch(3);

        var back = BinaryFrame.Read(BinaryFrame.ToArray(sent));

        Assert.Equal(sent.Data, back.Data);
    }

    [Fact]
    public void Write_LevelsWithStringArrayBetweenNumericArrays_RoundTrips()
    {
        var sent = TestData.Levels(8);

        var back = BinaryFrame.Read(BinaryFrame.ToArray(sent));

        Assert.Equal(StreamingJson.Serialize(sent), StreamingJson.Serialize(back));
    }

    [Fact]
    public void Read_TruncatedFrame_ThrowsFormatException()
    {
        var frame = BinaryFrame.ToArray(TestData.Spectrum(1, 65));

        Assert.Throws<FormatException>(() => BinaryFrame.Read(frame.AsSpan(0, frame.Length - 4)));
        Assert.Throws<FormatException>(() => BinaryFrame.Read("nope"u8));
    }
}
