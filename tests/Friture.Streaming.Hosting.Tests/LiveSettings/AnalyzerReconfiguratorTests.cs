using System.Text.Json;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Analyzers.Spectrogram;
using Friture.Streaming.Dsp.Windows;
using Friture.Streaming.Hosting.LiveSettings;

namespace Friture.Streaming.Hosting.Tests.LiveSettings;

/// <summary>The <c>configure</c> control message's server side: options bound onto the analyzer, or one error naming the bad one.</summary>
public sealed class AnalyzerReconfiguratorTests : IAsyncDisposable
{
    private readonly StreamingApi _api = new();

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public void Configure_SnakeCaseOptions_ProducerReplacedWithThemKeepingItsId()
    {
        _api.RegisterProducer(new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096, ResponseTime = 0.5 }, "fft_spectrum"));
        var reconfigurator = new AnalyzerReconfigurator(_api);

        var error = reconfigurator.Configure("fft_spectrum", Options("""{"fft_size":2048,"window":"blackman_harris","weighting":"A"}"""));

        Assert.Null(error);
        var producer = Assert.Single(_api.Producers.OfType<FftSpectrumProducer>());
        Assert.Equal("fft_spectrum", producer.ProducerId);
        Assert.Equal(2048, producer.Options.FftSize);
        Assert.Equal(WindowType.BlackmanHarris, producer.Options.Window);
        Assert.Equal("A", producer.Options.Weighting.ToString());
        Assert.Equal(0.5, producer.Options.ResponseTime); // untouched options keep their values
    }

    [Fact]
    public void Configure_LogScaleAlias_BindsTheEnum()
    {
        _api.RegisterProducer(new SpectrogramProducer(new SpectrogramOptions { Scale = FrequencyScale.Linear }, "spectrogram"));

        Assert.Null(new AnalyzerReconfigurator(_api).Configure("spectrogram", Options("""{"scale":"log"}""")));

        Assert.Equal(FrequencyScale.Logarithmic, Assert.Single(_api.Producers.OfType<SpectrogramProducer>()).Options.Scale);
    }

    [Theory]
    [InlineData("fft_spectrum", """{"fft_sizes":2048}""", "fft_sizes")]
    [InlineData("fft_spectrum", """{"fft_size":1000}""", "fft_size")]
    [InlineData("fft_spectrum", """{"window":"triangle"}""", "triangle")]
    [InlineData("no_such_type", """{"fft_size":2048}""", "Unknown data type 'no_such_type'")]
    public void Configure_BadOptionOrType_OneErrorNamingItAndTheAnalyzerUnchanged(string type, string json, string named)
    {
        _api.RegisterProducer(new FftSpectrumProducer(new FftSpectrumOptions { FftSize = 4096 }, "fft_spectrum"));
        var before = Assert.Single(_api.Producers);

        var error = new AnalyzerReconfigurator(_api).Configure(type, Options(json));

        Assert.NotNull(error);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.Same(before, Assert.Single(_api.Producers));
    }

    [Fact]
    public void Reset_AnalyzerWithoutProgramme_SaysSo()
    {
        _api.RegisterProducer(new FftSpectrumProducer(new FftSpectrumOptions(), "fft_spectrum"));

        var error = new AnalyzerReconfigurator(_api).Reset("fft_spectrum");

        Assert.Equal("The fft_spectrum analyzer has nothing to reset.", error);
    }

    private static JsonElement Options(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
