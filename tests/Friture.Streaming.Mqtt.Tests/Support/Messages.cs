using Friture.Streaming.Data;

namespace Friture.Streaming.Mqtt.Tests.Support;

internal static class Messages
{
    public static StreamingData Pitch(long sequence, double frequency = 440) => new(
        new StreamingMetadata
        {
            DataType = DataType.PitchTracker,
            Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000),
            StreamTime = sequence * 0.02,
            SampleRate = 48_000,
            Channels = 1,
            SequenceNumber = sequence,
            ProducerId = "test",
        },
        new PitchData { FrequencyHz = frequency, Confidence = 0.9, NoteName = "A4", CentsOffset = 0, AmplitudeDb = -6 });

    public static StreamingData Levels(long sequence) => new(
        new StreamingMetadata
        {
            DataType = DataType.Levels,
            Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000),
            StreamTime = sequence * 0.01,
            SampleRate = 48_000,
            Channels = 2,
            SequenceNumber = sequence,
            ProducerId = "test",
        },
        new LevelsData
        {
            PeakLevelsDb = [-3f, -6f],
            RmsLevelsDb = [-6f, -9f],
            PeakHoldLevelsDb = [-3f, -6f],
            LeqLevelsDb = [-6f, -9f],
            MaxLevelsDb = [-5f, -8f],
            ChannelLabels = ["ch1", "ch2"],
        });

    public static StreamingData Fft(long sequence, int bins = 1025) => new(
        new StreamingMetadata
        {
            DataType = DataType.FftSpectrum,
            Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000),
            StreamTime = sequence / 30.0,
            SampleRate = 48_000,
            Channels = 1,
            SequenceNumber = sequence,
            ProducerId = "test",
        },
        new FftSpectrumData
        {
            Frequencies = [.. Enumerable.Range(0, bins).Select(i => i * 24_000f / (bins - 1))],
            MagnitudesLinear = [.. Enumerable.Range(0, bins).Select(i => 1f / (i + 1))],
            MagnitudesDb = [.. Enumerable.Range(0, bins).Select(i => -20f * MathF.Log10(i + 1))],
            FftSize = (bins - 1) * 2,
        });
}
