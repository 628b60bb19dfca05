using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Friture.Streaming.Tests.Dsp.Loudness;

/// <summary>
/// Programme material made by espeak-ng and sox, and ffmpeg's ebur128 filter as a second reference (all installed by
/// scripts/ci/loudness.sh). Missing tools skip the calling test, except under CI=true where they fail it.
/// </summary>
internal static partial class ExternalTools
{
    public static void RequireOrSkip(params string[] tools)
    {
        foreach (var tool in tools)
        {
            Prerequisite.RequireProgram(tool, $"{tool} is not installed; run scripts/ci/loudness.sh");
        }
    }

    /// <summary>
    /// About 14 s of stereo speech (espeak-ng, English), the second sentence 12 dB quieter and the right channel 3 dB
    /// below the left, with the pauses of speech: a programme whose gates and range matter.
    /// </summary>
    public static string Speech(string directory, int rate)
    {
        var wav = Path.Combine(directory, $"speech-{rate}.wav");
        Run("bash", "-c", $"cd '{directory}' && "
            + "espeak-ng -s 160 -w s1.wav 'The loudness of a programme is measured over its whole duration, with gates that ignore the silence between words.' && "
            + "espeak-ng -s 140 -p 30 -w s2.wav 'A quieter voice follows, twelve decibels lower, so that the loudness range is not zero.' && "
            + $"sox s1.wav -r {rate} -c 1 -e floating-point -b 32 a.wav rate -v {rate} && "
            + $"sox s2.wav -r {rate} -c 1 -e floating-point -b 32 b.wav rate -v {rate} vol -12dB && "
            + $"sox a.wav b.wav -c 2 '{wav}' remix 1 1v0.708");
        return wav;
    }

    /// <summary>
    /// About 21 s of music-like stereo sound made by sox: plucked chords, pink-noise bursts, a quiet tremolo passage and a
    /// loud chord with different content in each channel.
    /// </summary>
    public static string Music(string directory, int rate)
    {
        var wav = Path.Combine(directory, $"music-{rate}.wav");
        var f = "-e floating-point -b 32 -c 2";

        // sox plucks only at 44.1 and 48 kHz: other rates are made at 48 kHz and resampled.
        var synthRate = rate is 44100 or 48000 ? rate : 48000;
        Run("bash", "-c", $"cd '{directory}' && "
            + $"sox -r {synthRate} -c 3 -n {f} c1.wav synth 2 pluck A2 pluck C#4 pluck E4 remix 1,2,3 1v0.5,2,3 gain -n -8 && "
            + $"sox -r {synthRate} -c 3 -n {f} c2.wav synth 2 pluck D3 pluck F#4 pluck A4 remix 1,2v0.5,3 1,2,3 gain -n -12 && "
            + $"sox -r {synthRate} -c 2 -n {f} n.wav synth 0.25 pinknoise pad 0 0.45 repeat 6 gain -n -10 && "
            + $"sox -r {synthRate} -c 2 -n {f} q.wav synth 4 sine 220 sine 330 tremolo 5 70 gain -n -32 && "
            + $"sox -r {synthRate} -c 3 -n {f} c3.wav synth 3 square E2 sawtooth B3 triangle G#4 remix 1,2v0.3 2,3 gain -n -3 && "
            + $"sox c1.wav c2.wav n.wav q.wav c1.wav c3.wav -r {rate} '{wav}' rate -v {rate}");
        return wav;
    }

    /// <summary>Reads a 32-bit float WAV written by sox into interleaved samples.</summary>
    public static float[] ReadFloatWav(string path, out int channels, out int rate)
    {
        var raw = Path.ChangeExtension(path, ".f32");
        Run("sox", path, "-t", "raw", "-e", "floating-point", "-b", "32", raw);
        channels = int.Parse(Capture(false, "soxi", "-c", path).Trim(), CultureInfo.InvariantCulture);
        rate = int.Parse(Capture(false, "soxi", "-r", path).Trim(), CultureInfo.InvariantCulture);
        return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(raw)).ToArray();
    }

    /// <summary>Writes interleaved samples as a 32-bit float WAV (through sox) for ffmpeg.</summary>
    public static string WriteFloatWav(string directory, string name, float[] samples, int channels, int rate)
    {
        var raw = Path.Combine(directory, name + ".f32");
        var wav = Path.Combine(directory, name + ".wav");
        File.WriteAllBytes(raw, MemoryMarshal.AsBytes(samples.AsSpan()).ToArray());
        Run("sox", "-t", "raw", "-r", rate.ToString(CultureInfo.InvariantCulture), "-c", channels.ToString(CultureInfo.InvariantCulture), "-e", "floating-point", "-b", "32", raw, wav);
        return wav;
    }

    /// <summary>ffmpeg's ebur128 filter summary: integrated loudness, loudness range and true peak (one decimal each).</summary>
    public static (double Integrated, double Range, double TruePeak) Ffmpeg(string wav)
    {
        var output = Capture(true, "ffmpeg", "-hide_banner", "-nostats", "-i", wav, "-filter_complex", "ebur128=peak=true", "-f", "null", "-");
        var summary = output[output.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        return (Field(summary, IntegratedPattern()), Field(summary, RangePattern()), Field(summary, PeakPattern()));
    }

    public static string TempDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "friture-loudness-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static double Field(string summary, Regex pattern)
    {
        var match = pattern.Match(summary);
        Assert.True(match.Success, $"ffmpeg summary lacks {pattern}: {summary}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static void Run(string file, params string[] arguments) => Capture(false, file, arguments);

    private static string Capture(bool stderr, string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var text = stdoutTask.GetAwaiter().GetResult();
        var errors = stderrTask.GetAwaiter().GetResult();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors}");
        return stderr ? errors : text;
    }

    [GeneratedRegex(@"\bI:\s+(-?[0-9.]+) LUFS")]
    private static partial Regex IntegratedPattern();

    [GeneratedRegex(@"\bLRA:\s+(-?[0-9.]+) LU\b")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"\bPeak:\s+(-?[0-9.]+) dBFS")]
    private static partial Regex PeakPattern();
}
