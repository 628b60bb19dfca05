using System.Globalization;
using System.Text.RegularExpressions;
using Friture.Streaming.Audio;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Samples.Tests;

/// <summary>Every sample runs for a few seconds against a WAV file and prints what the seed's example promises.</summary>
public sealed partial class SampleTests : IClassFixture<SampleTests.WavFiles>
{
    private readonly WavFiles _wav;

    public SampleTests(WavFiles wav) => _wav = wav;

    [Fact]
    public async Task QuickStart_Tone440_PrintsA4()
    {
        var (exit, output) = await SampleRunner.RunAsync("QuickStart", _wav.Tone, "2");
        Assert.Equal(0, exit);
        Assert.Matches(@"Pitch: 44[01]\.\d Hz \(A4", output);
    }

    [Fact]
    public async Task BasicPitchTracking_Tone440_PrintsStrongA4()
    {
        var (exit, output) = await SampleRunner.RunAsync("BasicPitchTracking", _wav.Tone, "2");
        Assert.Equal(0, exit);
        Assert.Contains("strong pitch: A4", output, StringComparison.Ordinal);
        Assert.True(Count(output, "strong pitch estimates") > 10, output);
    }

    [Fact]
    public async Task SpectrumDashboard_SendsMessages()
    {
        var (exit, output) = await SampleRunner.RunAsync("SpectrumDashboard", _wav.Tone, "2", "0");
        Assert.Equal(0, exit);
        Assert.Matches(@"dashboard data on ws://localhost:\d+/", output);
        Assert.True(Count(output, "dashboard messages sent") > 20, output);
    }

    [Fact]
    public async Task MultiProtocolLogging_WritesJsonlAndCsv()
    {
        var directory = Path.Combine(Path.GetTempPath(), "friture-sample-logs", Guid.NewGuid().ToString("N"));
        var (exit, output) = await SampleRunner.RunAsync("MultiProtocolLogging", _wav.Tone, "2", directory);
        Assert.Equal(0, exit);
        var octave = Count(output, "octave messages logged");
        Assert.True(octave > 3, output);
        var lines = await File.ReadAllLinesAsync(Path.Combine(directory, "octave.jsonl"));
        Assert.Equal(octave, lines.Length);
        Assert.All(lines, l => Assert.Equal(DataType.OctaveSpectrum, StreamingJson.Deserialize(l).DataType));
        var csv = await File.ReadAllLinesAsync(Path.Combine(directory, "levels.csv"));
        Assert.StartsWith("timestamp,stream_time,data_type", csv[0], StringComparison.Ordinal);
        Assert.Equal(Count(output, "levels messages logged") + 1, csv.Length);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task CustomAnalysisPipeline_Sweep_DetectsTrends()
    {
        var (exit, output) = await SampleRunner.RunAsync("CustomAnalysisPipeline", _wav.Sweep, "3");
        Assert.Equal(0, exit);
        Assert.Contains("Pitch trend detected", output, StringComparison.Ordinal);
        Assert.True(Count(output, "trends detected") > 0, output);
    }

    [Fact]
    public async Task CustomAnalysisPipeline_SteadyTone_NoTrend()
    {
        var (exit, output) = await SampleRunner.RunAsync("CustomAnalysisPipeline", _wav.Tone, "2");
        Assert.Equal(0, exit);
        Assert.True(Count(output, "pitch estimates") > 5, output);
        Assert.Equal(0, Count(output, "trends detected"));
    }

    [Fact]
    public async Task ExternalSystemIntegration_LoudTone_ForwardsAlarms()
    {
        var (exit, output) = await SampleRunner.RunAsync("ExternalSystemIntegration", _wav.Tone, "2");
        Assert.Equal(0, exit);
        Assert.Contains("{\"alarm\":\"level\"", output, StringComparison.Ordinal);
        Assert.True(Count(output, "alarms forwarded") > 3, output);
    }

    [Fact]
    public async Task PerformanceMonitoring_PrintsStatisticsEverySecond()
    {
        var (exit, output) = await SampleRunner.RunAsync("PerformanceMonitoring", _wav.Tone, "2");
        Assert.Equal(0, exit);
        Assert.Contains("[1s] data rate", output, StringComparison.Ordinal);
        Assert.Contains("[2s] data rate", output, StringComparison.Ordinal);
        Assert.Contains("\"data_rate_hz\"", output, StringComparison.Ordinal);
        Assert.Contains("\"active_consumers\"", output, StringComparison.Ordinal);
        Assert.True(Count(output, "friture.streaming.messages.produced =") > 0, output);
    }

    private static long Count(string output, string label)
    {
        var match = Regex.Match(output, Regex.Escape(label) + @":? =?\s*(\d+)");
        Assert.True(match.Success, $"'{label}' not found in:\n{output}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Test inputs written once: a 4 s stereo 440 Hz tone at -6 dBFS (channel 2 delayed 1 ms) and a 4 s 110..880 Hz sweep.</summary>
    public sealed class WavFiles : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "friture-sample-wavs", Guid.NewGuid().ToString("N"));

        public WavFiles()
        {
            Directory.CreateDirectory(_directory);
            Tone = Path.Combine(_directory, "tone440.wav");
            Sweep = Path.Combine(_directory, "sweep.wav");
            const int rate = 48_000;
            using (var writer = new WavWriter(Tone, new AudioFormat(rate, 2), WavSampleFormat.Pcm16))
            {
                var frames = new float[rate * 4 * 2];
                for (var i = 0; i < rate * 4; i++)
                {
                    frames[2 * i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / rate));
                    frames[(2 * i) + 1] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * (i - 48) / rate));
                }

                writer.Write(frames);
            }

            using (var writer = new WavWriter(Sweep, new AudioFormat(rate, 1), WavSampleFormat.IeeeFloat32))
            {
                var frames = new float[rate * 4];
                var phase = 0.0;
                for (var i = 0; i < frames.Length; i++)
                {
                    var f = 110 * Math.Pow(8, i / (double)frames.Length);
                    phase += 2 * Math.PI * f / rate;
                    frames[i] = (float)(0.25 * Math.Sin(phase));
                }

                writer.Write(frames);
            }
        }

        public string Tone { get; }

        public string Sweep { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
