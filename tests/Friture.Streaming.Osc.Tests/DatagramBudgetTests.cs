using System.Collections.Immutable;
using System.Globalization;
using Friture.Streaming.Data;
using Friture.Streaming.Osc.Encoding;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Osc.Tests;

/// <summary>
/// Every built-in type at the network-default resolution fits one UDP datagram (65,507 B) as JSON and binary, and one
/// default OSC packet (8,192 B, bundled), for the CLI's largest inputs: 192 kHz x 8 channels, FFT 16384, 1/24 octave,
/// 50 ms scope. The full-resolution ones that do not fit are split (UdpFragmentTests, OscFragmentTests).
/// </summary>
public sealed class DatagramBudgetTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(48_000, 2, 8192, 3)]      // the CLI's defaults
    [InlineData(192_000, 8, 16384, 24)]   // its largest: --sample-rate 192000 --channels 8 --fft-size 16384 --bands-per-octave 24
    public void NetworkDefault_EveryType_FitsADatagramAndAnOscPacket(int sampleRate, int channels, int fftSize, int bandsPerOctave)
    {
        var encoder = new OscPayloadEncoder("/friture", spectrumPoints: 32);
        var writer = new OscWriter();
        foreach (var data in Payloads(sampleRate, channels, fftSize, bandsPerOctave))
        {
            var reduced = PayloadReducer.Reduce(data, ResolutionRequest.NetworkDefault);
            var json = StreamingJson.SerializeToUtf8Bytes(reduced).Length;
            var binary = BinaryFrame.ToArray(reduced).Length;
            writer.Reset();
            writer.BeginBundle(0);
            writer.BeginElement();
            encoder.Write(writer, reduced);
            writer.EndElement();
            var osc = writer.Length;
            var full = StreamingJson.SerializeToUtf8Bytes(data).Length;
            var line = string.Create(CultureInfo.InvariantCulture, $"{sampleRate} Hz x {channels}: {data.DataType.Name,-16} JSON {json,6} B, binary {binary,6} B, OSC {osc,5} B (full resolution JSON {full} B)");
            output.WriteLine(line);
            File.AppendAllText(Path.Combine(Path.GetTempPath(), "friture-datagram-budget.txt"), line + Environment.NewLine);

            Assert.True(json <= 65_507, $"{data.DataType.Name}: {json} B of JSON");
            Assert.True(binary <= 65_507, $"{data.DataType.Name}: {binary} B binary");
            Assert.True(osc <= 8192, $"{data.DataType.Name}: {osc} B OSC");
        }
    }

    private static IEnumerable<StreamingData> Payloads(int sampleRate, int channels, int fftSize, int bandsPerOctave)
    {
        var random = new Random(7);
        float[] Values(int n, float low, float high) => [.. Enumerable.Range(0, n).Select(_ => (float)(low + (random.NextDouble() * (high - low))))];
        ImmutableArray<float> PerChannel(float value) => [.. Enumerable.Repeat(value, channels)];
        ImmutableArray<string> labels = [.. Enumerable.Range(1, channels).Select(c => $"ch{c}")];
        StreamingMetadata Meta(DataType type) => new() { DataType = type, Timestamp = DateTimeOffset.UnixEpoch, StreamTime = 1234.5678, SampleRate = sampleRate, Channels = channels, SequenceNumber = 1_234_567, ProducerId = type.Name };
        var bins = (fftSize / 2) + 1;
        var bands = bandsPerOctave * 10;
        var scopePoints = sampleRate / 20; // 50 ms
        yield return new(Meta(DataType.FftSpectrum), new FftSpectrumData
        {
            Frequencies = [.. Enumerable.Range(0, bins).Select(i => i * (float)sampleRate / fftSize)],
            MagnitudesLinear = [.. Values(bins, 0, 1)], MagnitudesDb = [.. Values(bins, -140, 0)], FftSize = fftSize, PeakFrequency = 440.123, PeakMagnitude = -3.21,
        });
        yield return new(Meta(DataType.Spectrogram), new SpectrogramData
        {
            Frequencies = [.. Enumerable.Range(0, 1025).Select(i => i * (float)sampleRate / 2048)], MagnitudesDb = [.. Values(1025, -140, 0)], FftSize = 2048, FrequencyScale = "logarithmic",
        });
        yield return new(Meta(DataType.OctaveSpectrum), new OctaveSpectrumData
        {
            BandsPerOctave = bandsPerOctave, OverallLevel = -3.21,
            CenterFrequencies = [.. Enumerable.Range(0, bands).Select(i => 20f * MathF.Pow(2, (float)i / bandsPerOctave))],
            LowerFrequencies = [.. Enumerable.Range(0, bands).Select(i => 20f * MathF.Pow(2, (i - 0.5f) / bandsPerOctave))],
            UpperFrequencies = [.. Enumerable.Range(0, bands).Select(i => 20f * MathF.Pow(2, (i + 0.5f) / bandsPerOctave))],
            BandEnergiesDb = [.. Values(bands, -120, 0)],
            BandLabels = [.. Enumerable.Range(0, bands).Select(i => (20 * Math.Pow(2, (double)i / bandsPerOctave)).ToString("0.#", CultureInfo.InvariantCulture))],
        });
        yield return new(Meta(DataType.Scope), new ScopeData
        {
            Times = [.. Enumerable.Range(0, scopePoints).Select(i => (i - (scopePoints / 2)) / (float)sampleRate)],
            Samples = [.. Enumerable.Range(0, channels).Select(_ => ImmutableArray.Create(Values(scopePoints, -1, 1)))],
            ChannelLabels = labels, WindowSeconds = 0.05, Triggered = true,
        });
        yield return new(Meta(DataType.Levels), new LevelsData
        {
            PeakLevelsDb = PerChannel(-3.123f), RmsLevelsDb = PerChannel(-9.123f), PeakHoldLevelsDb = PerChannel(-1.123f), LeqLevelsDb = PerChannel(-9.456f), MaxLevelsDb = PerChannel(-2.345f), ChannelLabels = labels,
        });
        yield return new(Meta(DataType.PitchTracker), new PitchData { FrequencyHz = 440.1234567, Confidence = 0.93, NoteName = "A4", CentsOffset = 0.51, AmplitudeDb = -12.34, HarmonicClarity = 0.91 });
        yield return new(Meta(DataType.DelayEstimator), new DelayEstimatorData { DelayMs = 1.2345, DelaySamples = 59.04, Confidence = 0.8, CorrelationPeak = 0.7, Polarity = Polarity.InPhase, DistanceM = 0.4234 });
        yield return new(Meta(DataType.Loudness), new LoudnessData
        {
            MomentaryLufs = -23.12, ShortTermLufs = -23.45, IntegratedLufs = -23.01, LoudnessRangeLu = 3.21, TruePeakDbtp = -1.12, SamplePeakDbfs = -1.34, MaxMomentaryLufs = -20.56, MaxShortTermLufs = -21.78, DurationSeconds = 1234.5,
            TruePeakDbtpPerChannel = [.. Enumerable.Repeat<float?>(-1.12f, channels)], SamplePeakDbfsPerChannel = [.. Enumerable.Repeat<float?>(-1.34f, channels)],
        });
    }
}
