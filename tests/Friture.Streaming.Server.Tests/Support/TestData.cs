using System.Collections.Immutable;
using Friture.Streaming.Data;

namespace Friture.Streaming.Server.Tests.Support;

internal static class TestData
{
    public static StreamingData Levels(long sequence) => new(
        Metadata(DataType.Levels, sequence),
        new LevelsData
        {
            PeakLevelsDb = [-3.0f, -6.0f],
            RmsLevelsDb = [-10.0f, -12.0f],
            PeakHoldLevelsDb = [-2.0f, -5.0f],
            ChannelLabels = ["ch1", "ch2"],
            IntegrationTime = 0.3,
        });

    public static StreamingData Pitch(long sequence) => new(
        Metadata(DataType.PitchTracker, sequence),
        new PitchData { FrequencyHz = 440.0, Confidence = 0.9, NoteName = "A4", AmplitudeDb = -20 });

    public static StreamingData Spectrum(long sequence, int bins)
    {
        var frequencies = new float[bins];
        var magnitudes = new float[bins];
        var db = new float[bins];
        for (var i = 0; i < bins; i++)
        {
            frequencies[i] = i * 5.859375f;
            magnitudes[i] = 1.0f / (i + 1);
            db[i] = -20.0f * MathF.Log10(i + 1);
        }

        return new StreamingData(
            Metadata(DataType.FftSpectrum, sequence),
            new FftSpectrumData
            {
                Frequencies = ImmutableArray.Create(frequencies),
                MagnitudesLinear = ImmutableArray.Create(magnitudes),
                MagnitudesDb = ImmutableArray.Create(db),
                FftSize = (bins - 1) * 2,
                PeakFrequency = 440,
                PeakMagnitude = -3,
            });
    }

    public static StreamingMetadata Metadata(DataType type, long sequence) => new()
    {
        DataType = type,
        Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(sequence),
        StreamTime = sequence * 0.01,
        SampleRate = 48000,
        Channels = 2,
        SequenceNumber = sequence,
        ProducerId = "test",
    };
}
