using Friture.Streaming.Audio;

namespace Friture.Streaming.Tests.Audio.NAudio;

/// <summary>
/// NAudio's WDL resampler as the capture sources use it (128-tap windowed sinc), measured with tones: flat pass band,
/// deep rejection of what would alias. Each tone is fed in device-sized blocks and measured after the filter settles.
/// </summary>
public sealed class StreamResamplerTests
{
    [Theory]
    [InlineData(44_100, 48_000)]
    [InlineData(48_000, 44_100)]
    [InlineData(96_000, 48_000)]
    [InlineData(16_000, 48_000)]
    public void Process_TonesAcrossThePassBand_KeepTheirLevelWithinATenthOfADecibel(int inputRate, int outputRate)
    {
        // Pass band: up to 85 % of the lower Nyquist frequency (20.4 kHz at 48 kHz).
        var edge = 0.85 * Math.Min(inputRate, outputRate) / 2;
        foreach (var fraction in new[] { 0.005, 0.05, 0.25, 0.5, 0.75, 1.0 })
        {
            var frequency = Math.Round(edge * fraction);
            var output = Resample(inputRate, outputRate, frequency, amplitude: 0.5);
            var level = SignalMeasures.ToneAmplitude(output, frequency, outputRate);

            Assert.True(Math.Abs(SignalMeasures.Db(level / 0.5)) < 0.1,
                $"{inputRate} -> {outputRate} Hz: a {frequency} Hz tone came out at {SignalMeasures.Db(level / 0.5):F3} dB");
            Assert.Equal(frequency, SignalMeasures.ZeroCrossingFrequency(output, outputRate), frequency * 1e-4);
        }
    }

    [Theory]
    [InlineData(48_000, 44_100, 23_000)]
    [InlineData(48_000, 44_100, 22_600)] // 2.5 % above the output Nyquist frequency
    [InlineData(48_000, 44_100, 23_900)]
    [InlineData(96_000, 48_000, 30_000)]
    [InlineData(96_000, 48_000, 40_000)]
    public void Process_ToneAboveTheOutputNyquist_AliasIsRejectedBy60Decibels(int inputRate, int outputRate, double frequency)
    {
        var output = Resample(inputRate, outputRate, frequency, amplitude: 0.5);

        // The tone would fold to outputRate - frequency; measure everything that came out.
        var alias = outputRate - frequency;
        var aliasLevel = SignalMeasures.ToneAmplitude(output, alias, outputRate);
        var rms = SignalMeasures.Rms(output);
        Assert.True(SignalMeasures.Db(aliasLevel / 0.5) < -60,
            $"{frequency} Hz at {inputRate} -> {outputRate} Hz: the alias at {alias} Hz is at {SignalMeasures.Db(aliasLevel / 0.5):F1} dB");
        Assert.True(SignalMeasures.Db(rms * Math.Sqrt(2) / 0.5) < -60,
            $"{frequency} Hz at {inputRate} -> {outputRate} Hz: {SignalMeasures.Db(rms * Math.Sqrt(2) / 0.5):F1} dB came out in all");
    }

    [Fact]
    public void Process_BlocksOfAnySize_GiveTheSameOutputAsOneBlock()
    {
        var input = new float[9_600 * 2];
        var random = new Random(7);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)(random.NextDouble() - 0.5);
        }

        var whole = Run(new StreamResampler(48_000, 44_100, 2), input, input.Length, 2);
        var pieces = Run(new StreamResampler(48_000, 44_100, 2), input, 2 * 37, 2);

        Assert.Equal(whole.Length, pieces.Length);
        for (var i = 0; i < whole.Length; i++)
        {
            Assert.Equal(whole[i], pieces[i], 1e-5f);
        }
    }

    private static float[] Resample(int inputRate, int outputRate, double frequency, double amplitude)
    {
        var seconds = 1.0;
        var input = new float[(int)(inputRate * seconds)];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / inputRate));
        }

        var output = Run(new StreamResampler(inputRate, outputRate, 1), input, 480, 1);

        // Skip the filter's start (0.1 s) and measure a whole number of periods where possible.
        var start = outputRate / 10;
        var length = Math.Min(output.Length - start, (int)(outputRate * 0.8));
        return output.AsSpan(start, length).ToArray();
    }

    private static float[] Run(StreamResampler resampler, float[] input, int blockSamples, int channels)
    {
        var output = new List<float>();
        var scratch = new float[resampler.MaxOutputFrames(blockSamples) * channels];
        for (var at = 0; at < input.Length; at += blockSamples)
        {
            var block = input.AsSpan(at, Math.Min(blockSamples, input.Length - at));
            var frames = resampler.Process(block, scratch);
            output.AddRange(scratch.AsSpan(0, frames * channels).ToArray());
        }

        return [.. output];
    }
}
