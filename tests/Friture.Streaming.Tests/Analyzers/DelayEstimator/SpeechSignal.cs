using System.Diagnostics;

namespace Friture.Streaming.Tests.Analyzers.DelayEstimator;

/// <summary>
/// Synthetic speech for tests: espeak-ng (22.05 kHz) resampled to 48 kHz by sox, both installed by scripts/ci/espeak.sh.
/// </summary>
internal static class SpeechSignal
{
    private const string Text =
        "The delay estimator compares two microphones. Speech is harder than noise: it stops and starts, its energy " +
        "sits in a few harmonics of the voice, and each vowel repeats itself every few milliseconds. Sixty-five " +
        "thousand points of a Fourier transform will not hide that. A quiet room, a loud street, a long hall, a short " +
        "corridor; seven, eight, nine, ten. Whether the answer is right depends on the confidence it comes with.";

    private static readonly Lazy<float[]?> Cached = new(Synthesize);

    /// <summary>The speech at 48 kHz, peak about 0.5, or null when espeak-ng or sox is missing.</summary>
    public static float[]? At48k => Cached.Value;

    /// <summary>Skips the calling test when the tools are missing (fails instead under CI=true, where the script installs them).</summary>
    /// <returns>The speech.</returns>
    public static float[] RequireAt48k()
    {
        var speech = At48k;
        if (speech is null)
        {
            const string reason = "espeak-ng or sox is not installed (scripts/ci/espeak.sh installs them).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        return speech!;
    }

    private static float[]? Synthesize()
    {
        if (!File.Exists("/usr/bin/espeak-ng") || !File.Exists("/usr/bin/sox"))
        {
            return null;
        }

        var dir = Path.Combine(Path.GetTempPath(), $"friture-speech-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var low = Path.Combine(dir, "speech22.wav");
            var high = Path.Combine(dir, "speech48.wav");
            Run("/usr/bin/espeak-ng", ["-s", "160", "-w", low, Text]);
            Run("/usr/bin/sox", [low, "-r", "48000", "-e", "floating-point", "-b", "32", high]);
            var samples = ReadFloatWav(high);
            var peak = samples.Max(MathF.Abs);
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] *= 0.5f / peak;
            }

            return samples;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
    }

    // 32-bit float mono WAV: the samples of the data chunk.
    private static float[] ReadFloatWav(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var at = 12;
        while (at + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, at, 4);
            var size = BitConverter.ToInt32(bytes, at + 4);
            if (id == "data")
            {
                var count = Math.Min(size, bytes.Length - at - 8) / 4;
                var samples = new float[count];
                Buffer.BlockCopy(bytes, at + 8, samples, 0, count * 4);
                return samples;
            }

            at += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk.");
    }
}
