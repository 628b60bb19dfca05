using Friture.Streaming.Dsp.Loudness;
using Friture.Streaming.Tests.Dsp.Pitch;

namespace Friture.Streaming.Tests.Dsp.Loudness;

/// <summary>
/// The meter against two independent implementations on the same samples: libebur128 1.2.6 (P/Invoke) and ffmpeg 5.1's
/// ebur128 filter, on programme material (espeak-ng speech, sox music-like sound) at 44.1, 48 and 96 kHz and on the EBU
/// test signals. Tolerances (issue 14): momentary, short-term and integrated within 0.1 LU, range within 0.5 LU, true
/// peak within 0.2 dB; against ffmpeg, which prints one decimal, 0.05 more.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class LoudnessMeterReferenceTests
{
    public static TheoryData<string, int> Material => new()
    {
        { "speech", 44100 },
        { "speech", 48000 },
        { "speech", 96000 },
        { "music", 44100 },
        { "music", 48000 },
        { "music", 96000 },
    };

    public static TheoryData<string, int> EbuCases => new()
    {
        { "3341-1", 48000 },
        { "3341-2", 48000 },
        { "3341-3", 48000 },
        { "3341-4", 48000 },
        { "3341-5", 48000 },
        { "3341-6", 48000 },
        { "3341-9", 48000 },
        { "3342-1", 48000 },
        { "3342-2", 48000 },
        { "3342-3", 48000 },
        { "3342-4", 48000 },
        { "3341-1", 44100 },
        { "3341-5", 96000 },
        { "3342-4", 44100 },
        { "3342-4", 96000 },
    };

    [Theory]
    [MemberData(nameof(Material))]
    public void Meter_ProgrammeMaterial_AgreesWithLibebur128(string material, int rate)
    {
        LibEbur128.RequireOrSkip();
        ExternalTools.RequireOrSkip("espeak-ng", "sox", "soxi");
        var directory = ExternalTools.TempDirectory();
        try
        {
            var wav = material == "speech" ? ExternalTools.Speech(directory, rate) : ExternalTools.Music(directory, rate);
            var samples = ExternalTools.ReadFloatWav(wav, out var channels, out var readRate);
            Assert.Equal(rate, readRate);
            CompareWithLibebur128($"{material} {rate} Hz", samples, channels, rate, null);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(EbuCases))]
    public void Meter_EbuTestSignal_AgreesWithLibebur128(string name, int rate)
    {
        LibEbur128.RequireOrSkip();
        var (samples, channels) = EbuTestSignals.Create(name, rate);
        int[]? map = channels == 5 ? [1, 2, 3, 4, 5] : null;
        CompareWithLibebur128($"Tech {name} {rate} Hz", samples, channels, rate, map);
    }

    [Theory]
    [MemberData(nameof(Material))]
    public void Meter_ProgrammeMaterial_AgreesWithFfmpegEbur128(string material, int rate)
    {
        ExternalTools.RequireOrSkip("espeak-ng", "sox", "soxi", "ffmpeg");
        var directory = ExternalTools.TempDirectory();
        try
        {
            var wav = material == "speech" ? ExternalTools.Speech(directory, rate) : ExternalTools.Music(directory, rate);
            var samples = ExternalTools.ReadFloatWav(wav, out var channels, out _);
            CompareWithFfmpeg($"{material} {rate} Hz", wav, samples, channels, rate);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("3341-1", 48000)]
    [InlineData("3341-5", 48000)]
    [InlineData("3342-1", 48000)]
    [InlineData("3342-4", 48000)]
    [InlineData("3342-3", 44100)]
    public void Meter_EbuTestSignal_AgreesWithFfmpegEbur128(string name, int rate)
    {
        ExternalTools.RequireOrSkip("sox", "ffmpeg");
        var (samples, channels) = EbuTestSignals.Create(name, rate);
        var directory = ExternalTools.TempDirectory();
        try
        {
            var wav = ExternalTools.WriteFloatWav(directory, "tech", samples, channels, rate);
            CompareWithFfmpeg($"Tech {name} {rate} Hz", wav, samples, channels, rate);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    internal static LoudnessMeter Measure(float[] samples, int channels, int rate, int blockFrames = 512)
    {
        Span<double> weights = stackalloc double[channels];
        ChannelWeights.Standard(weights);
        var meter = new LoudnessMeter(rate, weights);
        for (var start = 0; start < samples.Length; start += blockFrames * channels)
        {
            meter.Process(samples.AsSpan(start, Math.Min(blockFrames * channels, samples.Length - start)));
        }

        return meter;
    }

    private static void CompareWithLibebur128(string label, float[] samples, int channels, int rate, int[]? map)
    {
        Span<double> weights = stackalloc double[channels];
        ChannelWeights.Standard(weights);
        var meter = new LoudnessMeter(rate, weights);

        // libebur128 takes one 3 s block per second for the range (Tech 3342's first edition); the meter takes ten
        // (the 2016 edition). A second meter with libebur128's step checks the range computation itself.
        var oneBlockPerSecond = new LoudnessMeter(rate, weights, rangeStepSteps: 10);
        using var reference = new LibEbur128(channels, rate, map);
        const int block = 512;
        double worstMomentary = 0, worstShortTerm = 0;
        var compared = 0;
        for (var start = 0; start < samples.Length; start += block * channels)
        {
            var span = samples.AsSpan(start, Math.Min(block * channels, samples.Length - start));
            meter.Process(span);
            oneBlockPerSecond.Process(span);
            reference.Add(span, channels);
            var referenceMomentary = reference.Momentary;
            if (meter.MomentaryLufs is { } momentary && referenceMomentary > -70)
            {
                worstMomentary = Math.Max(worstMomentary, Math.Abs(momentary - referenceMomentary));
                compared++;
            }

            var referenceShortTerm = reference.ShortTerm;
            if (meter.ShortTermLufs is { } shortTerm && referenceShortTerm > -70)
            {
                worstShortTerm = Math.Max(worstShortTerm, Math.Abs(shortTerm - referenceShortTerm));
            }
        }

        var integrated = meter.IntegratedLufs ?? double.NaN;
        var range = oneBlockPerSecond.LoudnessRangeLu ?? double.NaN;
        double worstTruePeak = 0, worstSamplePeak = 0;
        for (var c = 0; c < channels; c++)
        {
            worstTruePeak = Math.Max(worstTruePeak, Math.Abs(Db(meter.TruePeak(c)) - Db(reference.TruePeak(c))));
            worstSamplePeak = Math.Max(worstSamplePeak, Math.Abs(Db(meter.SamplePeak(c)) - Db(reference.SamplePeak(c))));
        }

        YinPitchConfidenceTests.Report(
            $"{label}: I {integrated:F3} vs libebur128 {reference.Integrated:F3}; LRA (1/s) {range:F3} vs {reference.Range:F3} (10/s: {meter.LoudnessRangeLu:F3}); "
            + $"worst M {worstMomentary:F4} LU over {compared} blocks, worst S {worstShortTerm:F4} LU; "
            + $"worst TP {worstTruePeak:F3} dB (factor {meter.OversamplingFactor}), worst SP {worstSamplePeak:F4} dB");
        Assert.True(compared > 0, "no momentary value was compared");
        Assert.InRange(worstMomentary, 0, 0.1);
        Assert.InRange(worstShortTerm, 0, 0.1);
        Assert.Equal(reference.Integrated, integrated, 0.1);
        Assert.Equal(reference.Range, range, 0.5);
        Assert.InRange(worstTruePeak, 0, 0.2);
        Assert.InRange(worstSamplePeak, 0, 0.001);
    }

    private static void CompareWithFfmpeg(string label, string wav, float[] samples, int channels, int rate)
    {
        var meter = Measure(samples, channels, rate);
        var (integrated, range, truePeak) = ExternalTools.Ffmpeg(wav);
        var ours = 0.0;
        for (var c = 0; c < channels; c++)
        {
            ours = Math.Max(ours, meter.TruePeak(c));
        }

        YinPitchConfidenceTests.Report(
            $"{label}: I {meter.IntegratedLufs:F3} vs ffmpeg {integrated:F1}; LRA {meter.LoudnessRangeLu:F3} vs {range:F1}; TP {Db(ours):F3} vs {truePeak:F1}");
        Assert.Equal(integrated, meter.IntegratedLufs ?? double.NaN, 0.15);
        Assert.Equal(range, meter.LoudnessRangeLu ?? double.NaN, 0.55);
        Assert.Equal(truePeak, Db(ours), 0.25);
    }

    private static double Db(double amplitude) => 20 * Math.Log10(amplitude);
}
