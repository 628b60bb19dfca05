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
    public void Write_Scope_SamplesAreChannelMajorFloat32NotHeaderJson()
    {
        var sent = new StreamingData(TestData.Metadata(DataType.Scope, 3), new ScopeData
        {
            Times = [-0.001f, 0f, 0.001f],
            Samples = [[0.5f, -0.25f, 1e-7f], [0f, 1f, -1f]],
            ChannelLabels = ["ch1", "ch2"],
            WindowSeconds = 0.003,
        });

        var frame = BinaryFrame.ToArray(sent);

        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4));
        var headerText = Encoding.UTF8.GetString(frame, 8, headerLength);
        using var header = JsonDocument.Parse(headerText);
        Assert.False(header.RootElement.GetProperty("data").TryGetProperty("samples", out _), headerText);
        Assert.Contains("[\"samples\",6,2]", headerText, StringComparison.Ordinal);
        Assert.Equal(8 + headerLength + ((3 + 6) * 4), frame.Length);
        // times (3 floats), then channel 0's three samples, then channel 1's.
        var samples = frame.AsSpan(8 + headerLength + 12);
        float[] expected = [0.5f, -0.25f, 1e-7f, 0f, 1f, -1f];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], BinaryPrimitives.ReadSingleLittleEndian(samples[(4 * i)..]));
        }

        var back = (ScopeData)BinaryFrame.Read(frame).Data;
        Assert.Equal([0.5f, -0.25f, 1e-7f], back.Samples[0]);
        Assert.Equal([0f, 1f, -1f], back.Samples[1]);
        Assert.Equal(["ch1", "ch2"], back.ChannelLabels);
    }

    [Fact]
    public void Write_RaggedNestedArray_StaysInTheHeaderAndRoundTrips()
    {
        var sent = new StreamingData(TestData.Metadata(DataType.Scope, 4), new ScopeData
        {
            Times = [0f, 1f],
            Samples = [[0.5f, -0.25f], [1f]],
            ChannelLabels = ["ch1", "ch2"],
        });

        var frame = BinaryFrame.ToArray(sent);

        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4));
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(frame, 8, headerLength));
        Assert.Equal(2, header.RootElement.GetProperty("data").GetProperty("samples").GetArrayLength());
        var back = (ScopeData)BinaryFrame.Read(frame).Data;
        Assert.Equal([1f], back.Samples[1]);
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
