using Friture.Streaming.Audio;

namespace Friture.Streaming.Hosting.Tests.Support;

/// <summary>Temporary files and test signals.</summary>
internal static class TestFiles
{
    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "friture-hosting-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes a stereo sine WAV (float32): the analytic signal the CLI tests analyse.</summary>
    public static string SineWav(string directory, double frequencyHz, double seconds, double amplitude = 0.5, int sampleRate = 48_000)
    {
        var path = Path.Combine(directory, $"sine-{frequencyHz}.wav");
        using var writer = new WavWriter(path, new AudioFormat(sampleRate, 2));
        var frames = (int)(seconds * sampleRate);
        var block = new float[1024 * 2];
        for (var start = 0; start < frames; start += 1024)
        {
            var count = Math.Min(1024, frames - start);
            for (var i = 0; i < count; i++)
            {
                var value = (float)(amplitude * Math.Sin(2 * Math.PI * frequencyHz * (start + i) / sampleRate));
                block[2 * i] = value;
                block[(2 * i) + 1] = value;
            }

            writer.Write(block.AsSpan(0, count * 2));
        }

        return path;
    }

    /// <summary>Artifacts (screenshots) go to tests/Friture.Streaming.Hosting.Tests/TestResults/artifacts (git ignores TestResults/).</summary>
    public static string ArtifactsDirectory()
    {
        var project = new DirectoryInfo(AppContext.BaseDirectory);
        while (project is not null && !File.Exists(Path.Combine(project.FullName, "Friture.Streaming.Hosting.Tests.csproj")))
        {
            project = project.Parent;
        }

        var path = Path.Combine(project?.FullName ?? AppContext.BaseDirectory, "TestResults", "artifacts");
        Directory.CreateDirectory(path);
        return path;
    }
}
