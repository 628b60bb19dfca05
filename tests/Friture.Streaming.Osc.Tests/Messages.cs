using Friture.Streaming.Data;

namespace Friture.Streaming.Osc.Tests;

internal static class Messages
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 23, 0, 0, TimeSpan.Zero);

    public static StreamingMetadata Metadata(DataType type, long sequence, double streamTime) => new()
    {
        DataType = type,
        Timestamp = Start.AddSeconds(streamTime).AddMilliseconds(3),
        StreamTime = streamTime,
        SampleRate = 48_000,
        Channels = 2,
        SequenceNumber = sequence,
        ProducerId = "test",
    };

    public static StreamingData Pitch(long sequence, double? frequency = 440, string? note = "A4") =>
        new(Metadata(DataType.PitchTracker, sequence, sequence * 0.02), new PitchData { FrequencyHz = frequency, Confidence = 0.75, NoteName = note });

    public static StreamingData Levels(long sequence) => new(
        Metadata(DataType.Levels, sequence, sequence * 0.01),
        new LevelsData { PeakLevelsDb = [-1f, -2f], RmsLevelsDb = [-4f, -5f], ChannelLabels = ["ch1", "ch2"] });

    public static StreamingData Octave(long sequence) => new(
        Metadata(DataType.OctaveSpectrum, sequence, sequence * 0.05),
        new OctaveSpectrumData { BandsPerOctave = 1, OverallLevel = -3, BandEnergiesDb = [-10f, -20f, -30f], CenterFrequencies = [250f, 500f, 1000f] });

    public static StreamingData Fft(long sequence, int bins = 1025) => new(
        Metadata(DataType.FftSpectrum, sequence, sequence / 30.0),
        new FftSpectrumData
        {
            Frequencies = [.. Enumerable.Range(0, bins).Select(i => i * 24_000f / (bins - 1))],
            MagnitudesDb = [.. Enumerable.Range(0, bins).Select(i => i == 19 ? 0f : -60f)],
            MagnitudesLinear = [.. Enumerable.Range(0, bins).Select(i => i == 19 ? 1f : 0.001f)],
            FftSize = (bins - 1) * 2,
        });
}
