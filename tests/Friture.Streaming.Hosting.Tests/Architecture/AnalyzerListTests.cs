using System.Text.Json;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Hosting.Dashboard;
using Friture.Streaming.Osc;
using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Hosting.Tests.Architecture;

/// <summary>
/// One list of analyzers (<see cref="BuiltInAnalyzers.All"/>) feeds the data types, the rate defaults,
/// <c>RegisterDefaultProducers</c>, the hosting settings, live reconfiguration, the OSC addresses and the dashboard's
/// metadata: each test fails when one of them disagrees with the list.
/// </summary>
public sealed class AnalyzerListTests
{
    [Fact]
    public void DataTypes_AndRateDefaults_FollowTheList()
    {
        Assert.Equal(DataType.BuiltIn, BuiltInAnalyzers.All.Select(static a => a.DataType));
        Assert.All(BuiltInAnalyzers.All, static a => Assert.True(RateLimiter.DefaultRates[a.DataType] > 0, a.DataType.Name));
        Assert.Equal(BuiltInAnalyzers.All.Count, DataType.BuiltIn.Count(RateLimiter.DefaultRates.ContainsKey));
    }

    [Fact]
    public async Task RegisterDefaultProducers_RegistersOneProducerPerAnalyzer_InListOrder()
    {
        await using var api = new StreamingApi();
        api.RegisterDefaultProducers();
        Assert.Equal(BuiltInAnalyzers.All.Select(static a => a.DataType), api.Producers.Select(static p => p.GetDataType()));
    }

    [Fact]
    public void HostingSettings_HaveOneSectionPerAnalyzer_KeyedAndTypedByItsDescriptor()
    {
        Assert.Equal(
            BuiltInAnalyzers.All.Select(static a => a.DataType.Name).Order(StringComparer.Ordinal),
            FritureAnalyzerOptions.SettingsKeys.Order(StringComparer.Ordinal));
        var options = new FritureAnalyzerOptions();
        foreach (var analyzer in BuiltInAnalyzers.All)
        {
            var section = options.OptionsFor(analyzer);
            Assert.NotNull(section);
            Assert.IsType(analyzer.OptionsType, section);
        }
    }

    [Fact]
    public async Task OscAddresses_UseEachAnalyzersShortName_AndAreDistinct()
    {
        await using var osc = new OscProtocol("127.0.0.1", 9);
        var addresses = BuiltInAnalyzers.All.Select(a => osc.AddressFor(a.DataType)).ToList();
        Assert.Equal(BuiltInAnalyzers.All.Select(static a => "/friture/" + a.ShortName), addresses);
        Assert.Equal(addresses.Count, addresses.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void DashboardMetadata_ListsTheAnalyzers_InListOrder_WithTheRateDefaults()
    {
        using var document = JsonDocument.Parse(AnalyzerMetadata.ToUtf8Json(BuiltInAnalyzers.All));
        var items = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(BuiltInAnalyzers.All.Select(static a => a.DataType.Name), items.Select(static e => e.GetProperty("data_type").GetString()));
        Assert.Equal(
            BuiltInAnalyzers.All.Select(static a => RateLimiter.DefaultRates[a.DataType]),
            items.Select(static e => e.GetProperty("default_rate_hz").GetDouble()));
    }
}
