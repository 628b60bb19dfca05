using System.Globalization;
using Friture.Streaming.Hosting.Tests.Hosting;
using Friture.Streaming.Hosting.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Friture.Streaming.Hosting.Tests.Dashboard;

/// <summary>
/// The dashboard in real headless Chromium (Debian's package, driven by Playwright, which downloads no browser), against
/// a running host fed a 440 Hz sine: the tuner shows A4, the meters move, the spectrum peak sits at 440 Hz. Screenshots
/// are saved under TestResults/artifacts.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private const string AppSettings = """
        { "Friture": { "Streaming": {
            "input": { "kind": "Generator", "generator": { "Waveform": "Sine", "FrequencyHz": 440, "LevelDbfs": -6, "Channels": 2, "InterChannelDelaySeconds": 0.001 } },
            "analyzers": { "delay_estimator": { "MaxDelayMs": 10 } }
        } } }
        """;

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    [Theory]
    [InlineData("websocket")]
    [InlineData("sse")]
    public async Task Dashboard_Sine440_TunerShowsA4MetersMoveSpectrumPeakAt440(string transport)
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{ChromiumPath} is missing; scripts/ci/chromium.sh installs it.");
            Assert.Skip($"{ChromiumPath} is not installed (run scripts/ci/chromium.sh).");
        }

        var (app, baseUrl) = await AddFritureStreamingTests.StartWebAppAsync(AppSettings);
        await using (app)
        {
            using var playwright = await Playwright.CreateAsync();
            var userData = TestFiles.TempDirectory();
            await using var context = await playwright.Chromium.LaunchPersistentContextAsync(userData, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                ViewportSize = new ViewportSize { Width = 1400, Height = 1100 },
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            var url = baseUrl + "/" + (transport == "sse" ? "?transport=sse" : string.Empty);
            await page.GotoAsync(url);

            await WaitForAsync(page, $"document.getElementById('status').dataset.state === 'connected' && document.getElementById('status').dataset.transport === '{transport}'", "the dashboard to connect");
            await WaitForAsync(page, "document.getElementById('tuner').dataset.note === 'A4'", "the tuner to show A4");
            await WaitForAsync(page, "Math.abs(parseFloat(document.getElementById('spectrum').dataset.peakHz) - 440) < 2", "the spectrum peak at 440 Hz");
            await WaitForAsync(page, "Number(document.getElementById('spectrogram').dataset.columns) > 60 && Number(document.getElementById('scope').dataset.updates) > 5 && Number(document.getElementById('octave').dataset.updates) > 2 && Number(document.getElementById('delay').dataset.updates) > 0", "spectrogram, scope, octave and delay panels to fill");

            // Meters move: the levels panel keeps updating and reads the sine's -6 dBFS peak.
            var firstUpdates = await Number(page, "levels", "updates");
            await WaitForAsync(page, $"Number(document.getElementById('levels').dataset.updates) > {firstUpdates.ToString(CultureInfo.InvariantCulture)} + 10", "the level meters to keep moving");
            var peak = await page.EvalOnSelectorAsync<string>("#levels", "e => e.dataset.peakDb");
            Assert.InRange(double.Parse(peak.Split(',')[0], CultureInfo.InvariantCulture), -6.5, -5.5);
            var meterWidth = await page.EvalOnSelectorAsync<string>("#levels .meter .rms", "e => e.style.width");
            Assert.True(double.Parse(meterWidth.TrimEnd('%'), CultureInfo.InvariantCulture) > 50, meterWidth);

            var cents = await Number(page, "tuner", "cents");
            Assert.InRange(cents, -5, 5);
            Assert.Equal("A4", await page.InnerTextAsync("#tuner-note"));
            var peakHz = await Number(page, "spectrum", "peakHz");
            Assert.InRange(peakHz, 438, 442);
            Assert.InRange(await Number(page, "octave", "maxBandHz"), 350, 560);
            Assert.InRange(await Number(page, "delay", "delayMs"), 0.9, 1.1);

            var screenshot = Path.Combine(TestFiles.ArtifactsDirectory(), $"dashboard-{transport}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            Assert.True(new FileInfo(screenshot).Length > 10_000);
            TestContext.Current.AddAttachment($"dashboard-{transport}.png", screenshot);

            await app.StopAsync(Wait.Token());
        }
    }

    private static async Task WaitForAsync(IPage page, string condition, string what)
    {
        try
        {
            await page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { Timeout = (float)Wait.Timeout.TotalMilliseconds, PollingInterval = 50 });
        }
        catch (TimeoutException ex)
        {
            var state = await page.EvaluateAsync<string>("() => JSON.stringify(['status','tuner','spectrum','levels','octave','spectrogram','scope','delay'].map(id => [id, Object.assign({}, document.getElementById(id).dataset)]))");
            throw new TimeoutException($"Timed out waiting for {what}; dashboard state: {state}", ex);
        }
    }

    private static async Task<double> Number(IPage page, string id, string key)
    {
        var text = await page.EvalOnSelectorAsync<string>("#" + id, $"e => e.dataset.{key}");
        return double.Parse(text, CultureInfo.InvariantCulture);
    }
}
