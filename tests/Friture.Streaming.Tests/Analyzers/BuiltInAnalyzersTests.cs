using Friture.Streaming.Analyzers;
using Friture.Streaming.Analyzers.Levels;
using Friture.Streaming.Analyzers.Scope;
using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Tests.Analyzers;

/// <summary>The one built-in list: every built-in data type has exactly one analyzer declaration, in the same order.</summary>
public sealed class BuiltInAnalyzersTests
{
    [Fact]
    public void All_OneDescriptorPerBuiltInDataType_InTheSameOrder()
    {
        Assert.Equal(DataType.BuiltIn, BuiltInAnalyzers.All.Select(static a => a.DataType));
        Assert.Equal(
            ["pitch_tracker", "fft_spectrum", "octave_spectrum", "levels", "delay_estimator", "spectrogram", "scope"],
            DataType.BuiltIn.Take(7).Select(static t => t.Name));
    }

    [Fact]
    public void CreateProducer_DefaultOptions_ProducesItsOwnDataType()
    {
        foreach (var analyzer in BuiltInAnalyzers.All)
        {
            var producer = analyzer.CreateProducer(producerId: "p-" + analyzer.DataType.Name);
            Assert.Equal(analyzer.DataType, producer.GetDataType());
            Assert.Equal("p-" + analyzer.DataType.Name, producer.ProducerId);
            Assert.NotNull(Activator.CreateInstance(analyzer.OptionsType));
        }
    }

    [Fact]
    public void CreateProducer_GivenOptions_UsesThem()
    {
        var scope = BuiltInAnalyzers.Find(DataType.Scope)!;
        var producer = Assert.IsType<ScopeProducer>(scope.CreateProducer(new ScopeOptions { WindowSeconds = 0.02 }));
        Assert.Equal(0.02, producer.Options.WindowSeconds);
    }

    [Fact]
    public void CreateProducer_OptionsOfAnotherAnalyzer_ThrowsNamingTheExpectedType()
    {
        var scope = BuiltInAnalyzers.Find(DataType.Scope)!;
        var error = Assert.Throws<ArgumentException>(() => scope.CreateProducer(new LevelsOptions()));
        Assert.Contains("ScopeOptions", error.Message, StringComparison.Ordinal);
        Assert.Contains("LevelsOptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultRates_ComeFromTheDataTypes_WithTheSeedsValues()
    {
        Assert.Equal(50, RateLimiter.DefaultRates[DataType.PitchTracker]);
        Assert.Equal(30, RateLimiter.DefaultRates[DataType.FftSpectrum]);
        Assert.Equal(20, RateLimiter.DefaultRates[DataType.OctaveSpectrum]);
        Assert.Equal(100, RateLimiter.DefaultRates[DataType.Levels]);
        Assert.Equal(10, RateLimiter.DefaultRates[DataType.DelayEstimator]);
        Assert.Equal(25, RateLimiter.DefaultRates[DataType.Spectrogram]);
        Assert.Equal(60, RateLimiter.DefaultRates[DataType.Scope]);
        foreach (var analyzer in BuiltInAnalyzers.All)
        {
            Assert.Equal(RateLimiter.DefaultRates[analyzer.DataType], analyzer.DefaultRateHz);
        }
    }

    [Fact]
    public void Find_ApplicationType_ReturnsNull()
    {
        var custom = DataType.Register("builtin_analyzers_custom", Serialization.StreamingJsonTests.CustomJsonContext.Default.CustomAnalysisData);
        Assert.Null(BuiltInAnalyzers.Find(custom));
        Assert.False(custom.IsBuiltIn);
        Assert.DoesNotContain(custom, DataType.BuiltIn);
    }

    [Fact]
    public void OptionsOf_AndValidate_WorkForEveryAnalyzer_AndRebuildTheSameKindOfProducer()
    {
        foreach (var analyzer in BuiltInAnalyzers.All)
        {
            var producer = analyzer.CreateProducer(producerId: analyzer.SettingsKey);
            var options = analyzer.OptionsOf(producer);
            Assert.NotNull(options);
            Assert.IsType(analyzer.OptionsType, options);
            analyzer.Validate(options);
            var rebuilt = analyzer.CreateProducer(options, producer.ProducerId);
            Assert.Equal(analyzer.DataType, rebuilt.GetDataType());
            Assert.Equal(analyzer.SettingsKey, rebuilt.ProducerId);
        }
    }

    [Fact]
    public void OptionsOf_AnotherAnalyzersProducer_IsNull_AndValidate_ReportsTheBadOption()
    {
        var scope = BuiltInAnalyzers.Find(DataType.Scope)!;
        Assert.Null(scope.OptionsOf(new LevelsProducer()));
        var error = Assert.ThrowsAny<ArgumentException>(() => scope.Validate(new ScopeOptions { WindowSeconds = -1 }));
        Assert.Contains("WindowSeconds", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => scope.Validate(new LevelsOptions()));
    }
}
