using Xunit;

namespace Friture.Streaming.TestSupport;

/// <summary>
/// The rule for tests that need a program or daemon (PulseAudio, Mosquitto, oscdump, aubio, Chromium, Wine): outside
/// CI a missing part skips the test with a visible reason naming the script that installs it; under <c>CI=true</c> the
/// scripts in <c>scripts/ci</c> must have installed it, so a missing part fails the test.
/// </summary>
public static class Prerequisite
{
    /// <summary>Whether the tests run under CI (<c>CI=true</c>), where every prerequisite must be present.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the test outside CI and fails it under CI, with <paramref name="reason"/>.</summary>
    /// <param name="reason">What is missing and how to install it (for example "oscdump is not installed; run scripts/ci/mosquitto.sh").</param>
    public static void Missing(string reason)
    {
        if (IsCi)
        {
            Assert.Fail($"{reason} (CI=true: the scripts in scripts/ci must provide it)");
        }

        Assert.Skip(reason);
    }

    /// <summary>Does nothing when <paramref name="available"/>; otherwise <see cref="Missing"/>.</summary>
    /// <param name="available">Whether the prerequisite is present.</param>
    /// <param name="reason">What is missing and how to install it.</param>
    public static void Require(bool available, string reason)
    {
        if (!available)
        {
            Missing(reason);
        }
    }

    /// <summary>The first of <paramref name="candidates"/> that exists, or <see cref="Missing"/>.</summary>
    /// <param name="candidates">Absolute paths to try, in order.</param>
    /// <param name="reason">What is missing and how to install it.</param>
    /// <returns>The path found.</returns>
    public static string RequireFile(IEnumerable<string> candidates, string reason)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Missing(reason);
        return string.Empty;
    }

    /// <summary>The path of program <paramref name="name"/> on <c>PATH</c> (or in /usr/sbin, /usr/local/sbin), or <see cref="Missing"/>.</summary>
    /// <param name="name">The program's file name.</param>
    /// <param name="reason">What is missing and how to install it.</param>
    /// <returns>The path found.</returns>
    public static string RequireProgram(string name, string reason) => FindProgram(name) ?? RequireFile([], reason);

    /// <summary>The path of program <paramref name="name"/> on <c>PATH</c> (or in /usr/sbin, /usr/local/sbin), if any.</summary>
    /// <param name="name">The program's file name.</param>
    /// <returns>The path, or <see langword="null"/>.</returns>
    public static string? FindProgram(string name)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin"]);
        foreach (var directory in directories)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
