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
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class DashboardBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private const string AppSettings = """
        { "Friture": { "Streaming": {
            "input": { "kind": "Generator", "generator": { "Waveform": "Sine", "FrequencyHz": 440, "LevelDbfs": -6, "Channels": 2, "InterChannelDelaySeconds": 0.001 } },
            "block_size": 1024,
            "analyzers": { "delay_estimator": { "MaxDelayMs": 10 }, "fft_spectrum": { "FftSize": 4096 }, "spectrogram": { "FftSize": 2048 } }
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
            Prerequisite.Missing($"{ChromiumPath} is not installed (run scripts/ci/chromium.sh).");
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
            // Conditions, not single readings: on a loaded machine an audio overrun can disturb one frame.
            await WaitForAsync(page, "(() => { const t = document.getElementById('tuner').dataset; return t.note === 'A4' && Math.abs(parseFloat(t.cents)) < 5 && Math.abs(parseFloat(t.frequencyHz) - 440) < 2.5; })()", "the tuner to show A4 within 5 cents");
            await WaitForAsync(page, "Math.abs(parseFloat(document.getElementById('spectrum').dataset.peakHz) - 440) < 2", "the spectrum peak at 440 Hz");
            await WaitForAsync(page, "(() => { const f = parseFloat(document.getElementById('octave').dataset.maxBandHz); return f > 350 && f < 560; })()", "the loudest octave band around 440 Hz");
            await WaitForAsync(page, "Number(document.getElementById('spectrogram').dataset.columns) > 60 && Number(document.getElementById('scope').dataset.updates) > 5 && Number(document.getElementById('delay').dataset.updates) > 0", "spectrogram, scope and delay panels to fill");

            // Meters move: the levels panel keeps updating, reads the sine's -6 dBFS peak and draws the bar.
            var firstUpdates = await Number(page, "levels", "updates");
            await WaitForAsync(page, $"Number(document.getElementById('levels').dataset.updates) > {firstUpdates.ToString(CultureInfo.InvariantCulture)} + 10", "the level meters to keep moving");
            await WaitForAsync(page, "(() => { const p = parseFloat(document.getElementById('levels').dataset.peakDb.split(',')[0]); return p > -6.5 && p < -5.5; })()", "the peak meter to read -6 dBFS");
            // The RMS bar (-9 dBFS on the meter's -60..0 dBFS scale) fills most of the track.
            var fill = await page.EvalOnSelectorAsync<double>("#levels .meter", "m => 1 - m.querySelector('.cover').getBoundingClientRect().height / m.querySelector('.track').getBoundingClientRect().height");
            Assert.InRange(fill, 0.75, 0.95);
            await WaitForAsync(page, "document.getElementById('tuner-note').textContent === 'A4'", "the tuner to draw A4");
            Assert.False(double.IsNaN(await Number(page, "delay", "delayMs")));

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
