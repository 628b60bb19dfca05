using Friture.Streaming.Analyzers.PitchTracker;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Tests.Analyzers.OctaveSpectrum;
using Friture.Streaming.Tests.Support;

namespace Friture.Streaming.Tests.Analyzers.PitchTracker;

public sealed class PitchTrackerProducerTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2);

    [Theory]
    [InlineData(440.0, 440.0, "A4", 0.0)]
    [InlineData(261.6256, 440.0, "C4", 0.0)]
    [InlineData(452.893, 440.0, "A4", 50.0)] // a quarter tone above A4: named either way, the offset is 50 cents
    [InlineData(440.0, 432.0, "A4", 31.77)]
    [InlineData(110.0 * 1.0057929, 440.0, "A2", 10.0)]
    public void ExtractData_SineOfKnownPitch_NoteNameAndCents(double frequency, double a4, string note, double cents)
    {
        var producer = new PitchTrackerProducer(new PitchTrackerOptions { ReferenceA4Hz = a4 });
        OctaveSpectrumProducerTests.Feed(producer, Stereo48k, 0.3, (n, ch) => ch == 1 ? 0 : 0.5 * Math.Sin(2 * Math.PI * frequency * n / 48000));
        var data = Assert.IsType<PitchData>(producer.ExtractData());
        Assert.NotNull(data.FrequencyHz);
        Assert.Equal(frequency, data.FrequencyHz.Value, frequency * 0.0006);
        if (Math.Abs(cents) < 49)
        {
            Assert.Equal(note, data.NoteName);
            Assert.Equal(cents, data.CentsOffset!.Value, 0.5);
        }
        else
        {
            Assert.InRange(Math.Abs(data.CentsOffset!.Value), 49, 50);
        }

        Assert.Equal(20 * Math.Log10(0.5 / Math.Sqrt(2)), data.AmplitudeDb, 0.05);
        Assert.True(data.Confidence > 0.95);
        Assert.Equal(a4, data.ReferenceA4Hz);
    }

    [Fact]
    public void ExtractData_Silence_NullFrequencyAndZeroConfidence()
    {
        var producer = new PitchTrackerProducer();
        OctaveSpectrumProducerTests.Feed(producer, Stereo48k, 0.3, static (_, _) => 0);
        var data = Assert.IsType<PitchData>(producer.ExtractData());
        Assert.Null(data.FrequencyHz);
        Assert.Null(data.NoteName);
        Assert.Null(data.CentsOffset);
        Assert.Equal(0, data.Confidence);
        Assert.Equal(Decibels.Floor, data.AmplitudeDb);
    }

    [Fact]
    public void ExtractData_WhiteNoise_NullFrequencyAndConfidenceBelow03()
    {
        var producer = new PitchTrackerProducer();
        var random = new Random(11);
        var voiced = 0;
        var frames = 0;
        var block = new float[1024];
        for (long start = 0; start < 48000 * 3; start += 512)
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = (float)(0.3 * ((random.NextDouble() * 2) - 1));
            }

            if (producer.ProcessBlock(new AudioBlock(block, Stereo48k, start)))
            {
                var data = Assert.IsType<PitchData>(producer.ExtractData());
                frames++;
                voiced += data.FrequencyHz is null ? 0 : 1;
                Assert.True(data.Confidence < 0.3, $"confidence {data.Confidence}");
            }
        }

        Assert.True(frames > 100);
        Assert.Equal(0, voiced);
    }

    [Fact]
    public void ProcessBlock_Hop1024At48k_ResultEveryOtherBlockWithFrameEndTime()
    {
        var producer = new PitchTrackerProducer();
        var block = new float[1024];
        var results = new List<double>();
        for (long start = 0; start < 48000; start += 512)
        {
            if (producer.ProcessBlock(new AudioBlock(block, Stereo48k, start)))
            {
                results.Add(producer.ResultStreamTime!.Value);
            }
        }

        Assert.InRange(results.Count, 43, 46);
        Assert.Equal(1024.0 / 48000, results[^1] - results[^2], 1e-9);
    }

    [Fact]
    public void ProcessBlock_SteadyState_AllocatesNothing()
    {
        var producer = new PitchTrackerProducer(new PitchTrackerOptions { MinFrequencyHz = 40, MaxFrequencyHz = 2000 });
        var samples = new float[512 * 2];
        for (var i = 0; i < 512; i++)
        {
            samples[2 * i] = (float)Math.Sin(2 * Math.PI * 200 * i / 48000);
        }

        long frame = 0;
        for (var i = 0; i < 50; i++)
        {
            producer.ProcessBlock(new AudioBlock(samples, Stereo48k, frame));
            frame += 512;
        }

        Allocations.AssertSteadyStateAllocatesNothing(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                producer.ProcessBlock(new AudioBlock(samples, Stereo48k, frame));
                frame += 512;
            }
        });
    }

    [Theory]
    [InlineData(30, 1047, "MinFrequencyHz is 30")]
    [InlineData(65, 2500, "MaxFrequencyHz is 2500")]
    [InlineData(500, 400, "MaxFrequencyHz is 400")]
    public void Constructor_OutOfRangeOption_ThrowsNamingTheOption(double min, double max, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PitchTrackerProducer(new PitchTrackerOptions { MinFrequencyHz = min, MaxFrequencyHz = max }));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
