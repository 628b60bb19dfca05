using System.Text.Json;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Hosting.Dashboard;

namespace Friture.Streaming.Hosting.Tests.Dashboard;

/// <summary>analyzers.json, the dashboard's list of analyzers, comes from the one built-in list.</summary>
public sealed class AnalyzerMetadataTests
{
    [Fact]
    public void ToUtf8Json_BuiltIns_OneObjectPerAnalyzerWithWireNameRateAndTypes()
    {
        using var document = JsonDocument.Parse(AnalyzerMetadata.ToUtf8Json(BuiltInAnalyzers.All));
        var items = document.RootElement.EnumerateArray().ToArray();
        Assert.Equal(BuiltInAnalyzers.All.Count, items.Length);
        Assert.Equal(DataType.BuiltIn.Select(static t => t.Name), items.Select(static i => i.GetProperty("data_type").GetString()));
        var scope = items.Single(static i => i.GetProperty("data_type").GetString() == "scope");
        Assert.Equal(60, scope.GetProperty("default_rate_hz").GetDouble());
        Assert.Equal("ScopeData", scope.GetProperty("payload").GetString());
        Assert.Equal("ScopeOptions", scope.GetProperty("options").GetString());
        Assert.Equal("pitch", items[0].GetProperty("short_name").GetString());
        Assert.All(items, static i => Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("description").GetString())));
    }
}
