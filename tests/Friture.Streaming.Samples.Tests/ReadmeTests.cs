using System.Text.RegularExpressions;

namespace Friture.Streaming.Samples.Tests;

/// <summary>The README's quick start is the QuickStart sample, which the build compiles and SampleTests runs.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void QuickStart_InReadme_IsTheCompiledSample()
    {
        var root = SampleRunner.RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var match = CSharpBlock().Match(readme);
        Assert.True(match.Success, "README has no ```csharp block");
        var sample = File.ReadAllText(Path.Combine(root, "samples", "QuickStart", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');
        Assert.Equal(sample, match.Groups[1].Value.TrimEnd('\n'));
    }

    [Fact]
    public void Readme_NamesTheTestCommandThatCiRuns()
    {
        var root = SampleRunner.RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var ci = File.ReadAllText(Path.Combine(root, ".ci", "run"));
        Assert.Contains("./scripts/test.sh", readme, StringComparison.Ordinal);
        Assert.Contains("./scripts/test.sh", ci, StringComparison.Ordinal);
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
