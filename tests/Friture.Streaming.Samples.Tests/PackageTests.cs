using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace Friture.Streaming.Samples.Tests;

/// <summary>
/// dotnet pack produces the packages (with README, XML docs and symbol packages); a fresh project installs the core
/// package from a local folder feed and runs the README's quick start.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "friture-pack", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task Pack_ThenInstallFromLocalFeed_QuickStartRuns()
    {
        var root = SampleRunner.RepositoryRoot();
        var feed = Path.Combine(_work, "feed");
        var (packExit, packOutput) = await RunAsync(root, "dotnet", "pack", Path.Combine(root, "Friture.Streaming.sln"), "-c", "Release", "-o", feed);
        Assert.True(packExit == 0, packOutput);

        foreach (var id in new[] { "Friture.Streaming", "Friture.Streaming.Server", "Friture.Streaming.Hosting", "Friture.Streaming.Mqtt", "Friture.Streaming.Osc", "Friture.Streaming.Cli" })
        {
            var package = Path.Combine(feed, $"{id}.0.1.0.nupkg");
            Assert.True(File.Exists(package), $"{package} missing:\n{packOutput}");
            Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"symbols of {id} missing");
            using var zip = ZipFile.OpenRead(package);
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            if (id != "Friture.Streaming.Cli")
            {
                Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
            }
        }

        var app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="Friture.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Friture.Streaming" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(root, "samples", "QuickStart", "Program.cs"), Path.Combine(app, "Program.cs"));
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Packages.props"), "<Project />");

        var (runExit, runOutput) = await RunAsync(app, "dotnet", "run", "--", "-", "2");
        Assert.True(runExit == 0, runOutput);
        Assert.Matches(@"Pitch: 44[01]\.\d Hz \(A4", runOutput);
    }

    private static async Task<(int, string)> RunAsync(string directory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }
}
