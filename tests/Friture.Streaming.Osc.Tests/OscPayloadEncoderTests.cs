using Friture.Streaming.Data;
using Friture.Streaming.Osc.Encoding;

namespace Friture.Streaming.Osc.Tests;

public sealed class OscPayloadEncoderTests
{
    // Data arguments only (metadata_arguments = false, the layout before the metadata existed).
    private static OscMessage Encode(StreamingData data, int points = 32)
    {
        var writer = new OscWriter();
        new OscPayloadEncoder("/friture", points, metadata: false).Write(writer, data);
        return Assert.IsType<OscMessage>(OscReader.Read(writer.WrittenSpan));
    }

    private static OscMessage EncodeWithMetadata(StreamingData data, int points = 32)
    {
        var writer = new OscWriter();
        new OscPayloadEncoder("/friture", points).Write(writer, data);
        return Assert.IsType<OscMessage>(OscReader.Read(writer.WrittenSpan));
    }

    [Fact]
    public void Metadata_TrailingSequenceAndStreamTime_OnEveryDataType()
    {
        // sequence 7, stream_time 7 x 0.02 = 0.14 s.
        var pitch = EncodeWithMetadata(Messages.Pitch(7));
        Assert.Equal(("/friture/pitch", "ffsiii"), (pitch.Address, pitch.TypeTags));
        Assert.Equal([440f, 0.75f, "A4", 7, 0, 140_000_000], pitch.Arguments);

        // Variable-length types keep their data arguments in front, the three metadata ints last.
        var levels = EncodeWithMetadata(Messages.Levels(123));
        Assert.Equal("iffffiii", levels.TypeTags);
        Assert.Equal([2, -1f, -4f, -2f, -5f, 123, 1, 230_000_000], levels.Arguments);
        var octave = EncodeWithMetadata(Messages.Octave(41));
        Assert.Equal("iffffiii", octave.TypeTags);
        Assert.Equal([41, 2, 50_000_000], octave.Arguments.Skip(5));
        var fft = EncodeWithMetadata(Messages.Fft(90), points: 4);
        Assert.Equal("iffffffiii", fft.TypeTags);
        Assert.Equal([90, 3, 0], fft.Arguments.Skip(7));
        var blob = EncodeWithMetadata(Messages.Fft(1, bins: 9), points: 0);
        Assert.Equal("iffbiii", blob.TypeTags);
        Assert.Equal(1, blob.Arguments[4]);
    }

    [Theory]
    [InlineData(0.0, 0, 0)]
    [InlineData(1.5, 1, 500_000_000)]
    [InlineData(86_400.000_020_833, 86_400, 20_833)] // one sample at 48 kHz after a day
    [InlineData(2.9999999999, 3, 0)] // rounds up into the next second
    [InlineData(-1.0, 0, 0)]
    [InlineData(double.NaN, 0, 0)]
    public void Metadata_StreamTime_SecondsAndNanoseconds(double streamTime, int seconds, int nanoseconds)
    {
        Assert.Equal((seconds, nanoseconds), OscPayloadEncoder.SplitStreamTime(streamTime));
    }

    [Fact]
    public void Metadata_SequenceNumber_LowThirtyTwoBits()
    {
        var message = EncodeWithMetadata(new StreamingData(Messages.Metadata(DataType.Levels, (1L << 32) + 5, 0), ((StreamingData)Messages.Levels(0)).Data));
        Assert.Equal(5, message.Arguments[^3]);
        message = EncodeWithMetadata(new StreamingData(Messages.Metadata(DataType.Levels, uint.MaxValue, 0), ((StreamingData)Messages.Levels(0)).Data));
        Assert.Equal(-1, message.Arguments[^3]);
    }

    [Fact]
    public void Pitch_FrequencyConfidenceNote()
    {
        var message = Encode(Messages.Pitch(0));
        Assert.Equal(("/friture/pitch", "ffs"), (message.Address, message.TypeTags));
        Assert.Equal([440f, 0.75f, "A4"], message.Arguments);
    }

    [Fact]
    public void Pitch_Unvoiced_ZeroAndEmptyNote()
    {
        var message = Encode(Messages.Pitch(0, null, null));
        Assert.Equal([0f, 0.75f, ""], message.Arguments);
    }

    [Fact]
    public void Levels_ChannelCountThenPeakRmsPairs()
    {
        var message = Encode(Messages.Levels(0));
        Assert.Equal(("/friture/levels", "iffff"), (message.Address, message.TypeTags));
        Assert.Equal([2, -1f, -4f, -2f, -5f], message.Arguments);
    }

    [Fact]
    public void Octave_BandsPerOctaveOverallThenBands()
    {
        var message = Encode(Messages.Octave(0));
        Assert.Equal(("/friture/octave", "iffff"), (message.Address, message.TypeTags));
        Assert.Equal([1, -3f, -10f, -20f, -30f], message.Arguments);
    }

    [Fact]
    public void Fft_Reduced_LogBandsKeepThePeak()
    {
        var message = Encode(Messages.Fft(0), points: 16);
        Assert.Equal("/friture/fft", message.Address);
        Assert.Equal("iff" + new string('f', 16), message.TypeTags);
        Assert.Equal(16, message.Arguments[0]);
        Assert.Equal(23.4375f, (float)message.Arguments[1]);
        Assert.Equal(24_000f, (float)message.Arguments[2]);
        var levels = message.Arguments.Skip(3).Cast<float>().ToArray();

        // The 0 dB peak at 445 Hz (bin 19) lands in exactly one band: log2(445.3/23.44) / log2(1024) * 16 = 6.8, band 6.
        Assert.Equal(1, levels.Count(l => l == 0f));
        Assert.Equal(0f, levels[6]);
        Assert.All(levels.Where((_, i) => i != 6), l => Assert.Equal(-60f, l));
    }

    [Fact]
    public void Fft_Blob_WholeSpectrumBigEndian()
    {
        var message = Encode(Messages.Fft(0, bins: 9), points: 0);
        Assert.Equal("iffb", message.TypeTags);
        Assert.Equal(9, message.Arguments[0]);
        var blob = (byte[])message.Arguments[3];
        Assert.Equal(36, blob.Length);
        Assert.Equal(-60f, System.Buffers.Binary.BinaryPrimitives.ReadSingleBigEndian(blob));
    }

    [Fact]
    public void Loudness_NineFloatsNullAsMinus200()
    {
        var message = Encode(new StreamingData(
            Messages.Metadata(DataType.Loudness, 0, 0),
            new LoudnessData { MomentaryLufs = -20, ShortTermLufs = -21, IntegratedLufs = null, LoudnessRangeLu = 4.5, TruePeakDbtp = -1, SamplePeakDbfs = -1.5, MaxMomentaryLufs = -18, MaxShortTermLufs = null, DurationSeconds = 12.5 }));
        Assert.Equal(("/friture/loudness", "fffffffff"), (message.Address, message.TypeTags));
        Assert.Equal([-20f, -21f, -200f, 4.5f, -1f, -1.5f, -18f, -200f, 12.5f], message.Arguments);
    }

    [Fact]
    public void Delay_AndScope_AndCustom()
    {
        var delay = Encode(new StreamingData(
            Messages.Metadata(DataType.DelayEstimator, 0, 0),
            new DelayEstimatorData { DelayMs = 1.5, Confidence = 0.5, DistanceM = 0.5, Polarity = Polarity.Reversed }));
        Assert.Equal(("/friture/delay", "fffi"), (delay.Address, delay.TypeTags));
        Assert.Equal([1.5f, 0.5f, 0.5f, 2], delay.Arguments);

        var scope = Encode(new StreamingData(
            Messages.Metadata(DataType.Scope, 0, 0),
            new ScopeData { Samples = [[0.5f, -0.5f], [1f, -1f]], Times = [0f, 0.001f] }));
        Assert.Equal(("/friture/scope", "iib"), (scope.Address, scope.TypeTags));
        Assert.Equal(2, scope.Arguments[0]);
        Assert.Equal(2, scope.Arguments[1]);
        Assert.Equal(16, ((byte[])scope.Arguments[2]).Length);
    }
}
