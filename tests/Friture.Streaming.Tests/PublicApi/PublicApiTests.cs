namespace Friture.Streaming.Tests.PublicApi;

/// <summary>
/// Tracks the public API: the approved listing is checked in, so every change to the surface shows in a diff.
/// To accept a change, run the tests with UPDATE_PUBLIC_API=1 and commit the updated .approved.txt.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesApprovedListing()
    {
        var actual = PublicApiDump.Create(typeof(StreamingApi).Assembly);
        var approvedPath = Path.Combine(SourceDirectory(), "Friture.Streaming.approved.txt");
        if (Environment.GetEnvironmentVariable("UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (approved != actual)
        {
            var receivedPath = Path.ChangeExtension(approvedPath, ".received.txt");
            File.WriteAllText(receivedPath, actual);
            var approvedLines = approved.Split('\n').ToHashSet(StringComparer.Ordinal);
            var actualLines = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
            var added = actualLines.Except(approvedLines).Take(20);
            var removed = approvedLines.Except(actualLines).Take(20);
            Assert.Fail($"The public API changed. Review {receivedPath}; accept with UPDATE_PUBLIC_API=1.\nAdded:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}");
        }
    }

    // Not [CallerFilePath]: CI builds map source paths to /_/ for deterministic output.
    private static string SourceDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Friture.Streaming.Tests", "PublicApi");
            if (File.Exists(Path.Combine(directory.FullName, "Friture.Streaming.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No Friture.Streaming.sln above {AppContext.BaseDirectory}");
    }
}
