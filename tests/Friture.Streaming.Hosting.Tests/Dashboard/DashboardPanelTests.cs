using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Hosting.Tests.Hosting;
using Friture.Streaming.Hosting.Tests.Support;
using Friture.Streaming.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Friture.Streaming.Hosting.Tests.Dashboard;

/// <summary>
/// The dashboard as an instrument, in real headless Chromium (Debian's package driven by Playwright) against a running
/// host fed the demo signal: every panel's axes and labels are there and never overlap (measured bounding boxes) at
/// 1366x768 and 1920x1080 without scrolling, pause freezes the panels, hiding a panel stops its data type's traffic, a
/// settings change reaches the server's analyzer, the steady traffic with every panel shown stays under the budget, and
/// a token-protected server says so to a page without the token. Screenshots go to TestResults/artifacts.
/// </summary>
public sealed partial class DashboardPanelTests
{
    /// <summary>The traffic budget of the dashboard with every panel shown, in bytes per second (issue 13).</summary>
    public const double TrafficBudgetBytesPerSecond = 425_000;

    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    private static readonly string[] PlotPanels = ["spectrum", "spectrogram", "octave", "scope", "levels"];

    private static string AppSettings(string? token = null) => $$"""
        { "Friture": { "Streaming": {
            "input": { "kind": "Generator", "generator": { "Waveform": "Demo", "FrequencyHz": 440, "LevelDbfs": -12, "Channels": 2, "InterChannelDelaySeconds": 0.001 } },
            "block_size": 1024,
            "endpoints": { {{(token is null ? string.Empty : $"\"access_token\": \"{token}\"")}} },
            "analyzers": { "delay_estimator": { "MaxDelayMs": 10 }, "fft_spectrum": { "FftSize": 4096 }, "spectrogram": { "FftSize": 2048 } }
        } } }
        """;

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(1920, 1080)]
    public async Task Dashboard_EveryPanel_AxesAndLabelsPresentNotOverlappedNoScrolling(int width, int height)
    {
        await using var dashboard = await DashboardSession.StartAsync(width, height);
        var missing = new ConcurrentQueue<string>();
        dashboard.Page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                missing.Enqueue($"{r.Status} {r.Url}");
            }
        };
        await dashboard.Page.GotoAsync(dashboard.BaseUrl + "/");
        await WaitForAsync(dashboard.Page, "document.getElementById('status').dataset.state === 'connected'", "the dashboard to connect");
        await WaitForAsync(dashboard.Page, "document.getElementById('tuner').dataset.note === 'A4' && Number(document.getElementById('spectrogram').dataset.columns) > 20 && Number(document.getElementById('scope').dataset.updates) > 3 && Number(document.getElementById('octave').dataset.updates) > 3 && document.getElementById('delay').dataset.delayMs !== ''", "every panel to fill");

        foreach (var panel in PlotPanels)
        {
            var labels = await VisibleLabelsAsync(dashboard.Page, panel);
            var yTicks = labels.Count(l => l.Kind == "tick y");
            var xTicks = labels.Count(l => l.Kind == "tick x");
            Assert.True(yTicks >= 3, $"{panel}: {yTicks} y tick labels");
            Assert.True(panel == "levels" || xTicks >= 3, $"{panel}: {xTicks} x tick labels");
            Assert.Contains(labels, l => l.Kind.StartsWith("axis-title y", StringComparison.Ordinal));
            AssertNoOverlap(panel, labels);
            var box = await PanelBoxAsync(dashboard.Page, panel);
            foreach (var label in labels)
            {
                Assert.True(label.X >= box.X - 0.5 && label.Right <= box.Right + 0.5 && label.Y >= box.Y - 0.5 && label.Bottom <= box.Bottom + 0.5,
                    $"{panel}: label '{label.Text}' ({label.X:0},{label.Y:0})-({label.Right:0},{label.Bottom:0}) outside its panel ({box.X:0},{box.Y:0})-({box.Right:0},{box.Bottom:0})");
            }
        }

        // The spectrogram's colour bar carries a dB scale; the spectrum's and octave's y axes are in dBFS; the meters have a dBFS scale.
        Assert.Contains(await VisibleLabelsAsync(dashboard.Page, "spectrogram"), l => l.Kind == "tick c");
        var text = await dashboard.Page.InnerTextAsync("main");
        Assert.Contains("Frequency (Hz)", text, StringComparison.Ordinal);
        Assert.Contains("Level (dBFS)", text, StringComparison.Ordinal);
        Assert.Contains("Time (ms)", text, StringComparison.Ordinal);
        Assert.Contains("Amplitude (FS)", text, StringComparison.Ordinal);

        // Readable values: no raw enum names, no negative zero, units on the numbers shown.
        await WaitForAsync(dashboard.Page, "document.getElementById('delay-ms').textContent.endsWith(' ms') && document.getElementById('tuner-cents').textContent.endsWith(' cents')", "delay and cents with units");
        text = await dashboard.Page.InnerTextAsync("main");
        Assert.DoesNotContain("in_phase", text, StringComparison.Ordinal);
        Assert.DoesNotContain("-0.0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("−0.0", text, StringComparison.Ordinal);
        Assert.Matches(@"^\+(0\.9\d|1\.0\d) ms$", await dashboard.Page.InnerTextAsync("#delay-ms")); // the demo signal: channel 2 is 1 ms late
        Assert.Contains("same polarity", await dashboard.Page.InnerTextAsync("#delay-detail"), StringComparison.Ordinal);
        Assert.Matches(@"peak \d+(\.\d+)? (Hz|kHz) at -\d+\.\d dBFS", await dashboard.Page.InnerTextAsync("#spectrum-readout"));

        // No scrolling for the default panels, and nothing missing (the favicon included).
        var scroll = await dashboard.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollHeight, window.innerHeight, document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(scroll[0] <= scroll[1] && scroll[2] <= scroll[3], $"page {scroll[2]}x{scroll[0]} in a {scroll[3]}x{scroll[1]} window");
        Assert.Empty(missing);

        await dashboard.Browser.ScreenshotAsync($"dashboard-{width}x{height}.png");
    }

    [Fact]
    public async Task Dashboard_Pause_StopsUpdatesUntilResumed()
    {
        await using var dashboard = await DashboardSession.StartAsync(1366, 768);
        var page = dashboard.Page;
        await page.GotoAsync(dashboard.BaseUrl + "/");
        await WaitForAsync(page, "Number(document.getElementById('levels').dataset.updates) > 5 && Number(document.getElementById('spectrogram').dataset.columns) > 5", "the panels to update");

        await page.ClickAsync("#pause");
        Assert.Equal("true", await page.GetAttributeAsync("#pause", "aria-pressed"));
        var frozen = await CountersAsync(page);
        var bytes = await BytesAsync(page);
        // Messages keep arriving (the byte count grows by 100 kB) while nothing on the page moves.
        await WaitForAsync(page, $"Number(document.body.dataset.wsBytes) > {bytes.ToString(CultureInfo.InvariantCulture)} + 100000", "more messages to arrive while paused");
        Assert.Equal(frozen, await CountersAsync(page));

        await page.ClickAsync("#pause");
        await WaitForAsync(page, $"Number(document.getElementById('levels').dataset.updates) > {frozen[0]} + 3 && Number(document.getElementById('spectrogram').dataset.columns) > {frozen[1]} + 3", "updates to resume");
    }

    [Fact]
    public async Task Dashboard_HidePanel_UnsubscribesItsType()
    {
        await using var dashboard = await DashboardSession.StartAsync(1366, 768);
        var page = dashboard.Page;
        var frames = dashboard.RecordTextFrames();
        await page.GotoAsync(dashboard.BaseUrl + "/");
        await Wait.UntilAsync(() => frames.Count(f => TypeOf(f) == "scope") >= 3, "scope messages");

        await page.ClickAsync("#panels-menu summary");
        await page.UncheckAsync("#panel-toggles input[data-panel='scope']");
        Assert.True(await page.IsHiddenAsync("#scope-panel"));

        // After the server confirms the new subscription, other types keep flowing and scope never comes again.
        await Wait.UntilAsync(() => frames.Any(f => f.Contains("\"type\":\"subscribed\"", StringComparison.Ordinal) && !f.Contains("scope", StringComparison.Ordinal)), "the subscription without scope");
        var confirmed = IndexOfLastSubscribed(frames.ToArray());
        await Wait.UntilAsync(() => frames.Skip(confirmed).Count(f => TypeOf(f) == "levels") >= 30, "30 more levels messages");
        var after = frames.Skip(confirmed).ToArray();
        Assert.DoesNotContain(after, f => TypeOf(f) == "scope");
        Assert.Contains(after, f => TypeOf(f) == "fft_spectrum");

        // Shown again: scope comes back.
        await page.CheckAsync("#panel-toggles input[data-panel='scope']");
        await Wait.UntilAsync(() => frames.Skip(confirmed).Any(f => TypeOf(f) == "scope"), "scope messages again");
    }

    [Fact]
    public async Task Dashboard_FftSizeSetting_ReachesTheServerAnalyzer()
    {
        await using var dashboard = await DashboardSession.StartAsync(1366, 768);
        var page = dashboard.Page;
        var frames = dashboard.RecordTextFrames();
        await page.GotoAsync(dashboard.BaseUrl + "/");
        await WaitForAsync(page, "document.getElementById('spectrum').dataset.fftSize === '4096'", "a 4096-point spectrum");
        await WaitForAsync(page, "document.querySelector('[data-type=fft_spectrum][data-option=fft_size]').value === '4096'", "the setting to show the analyzer's FFT size");

        await page.ClickAsync("#settings-menu summary");
        await page.SelectOptionAsync("[data-type=fft_spectrum][data-option=fft_size]", "16384");

        await Wait.UntilAsync(() => frames.Any(f => f.Contains("\"type\":\"configured\"", StringComparison.Ordinal) && f.Contains("fft_spectrum", StringComparison.Ordinal)), "the configured reply");
        await WaitForAsync(page, "document.getElementById('spectrum').dataset.fftSize === '16384'", "a 16384-point spectrum in the next messages");
        var pipeline = dashboard.App.Services.GetRequiredService<FritureStreamingPipeline>();
        var producer = Assert.Single(pipeline.Api.Producers.OfType<FftSpectrumProducer>());
        Assert.Equal(16384, producer.Options.FftSize);
        Assert.Equal("fft_spectrum", producer.ProducerId);

        // A bad value is refused with a message naming the option, and the analyzer keeps its settings.
        await page.FillAsync("[data-option=window_seconds]", "0");
        await page.PressAsync("[data-option=window_seconds]", "Tab");
        await WaitForAsync(page, "document.getElementById('toast').textContent.includes('window_seconds is 0 s')", "the error naming window_seconds");
        Assert.Equal(0.05, Assert.Single(pipeline.Api.Producers.OfType<Friture.Streaming.Analyzers.Scope.ScopeProducer>()).Options.WindowSeconds);
    }

    [Fact]
    public async Task Dashboard_EveryPanelShown_SteadyTrafficUnderBudget()
    {
        await using var dashboard = await DashboardSession.StartAsync(1920, 1080);
        var page = dashboard.Page;
        long bytes = 0;
        var counting = false;
        var types = new ConcurrentDictionary<string, long>();
        page.WebSocket += (_, ws) => ws.FrameReceived += (_, f) =>
        {
            if (Volatile.Read(ref counting))
            {
                var size = f.Text is { } t ? System.Text.Encoding.UTF8.GetByteCount(t) : f.Binary?.Length ?? 0;
                Interlocked.Add(ref bytes, size);
                types.AddOrUpdate(TypeOf(f.Text ?? string.Empty) ?? "other", size, (_, v) => v + size);
            }
        };
        await page.GotoAsync(dashboard.BaseUrl + "/");
        await WaitForAsync(page, "Number(document.getElementById('spectrogram').dataset.columns) > 10 && Number(document.getElementById('scope').dataset.updates) > 3", "every panel to stream");

        // Steady state: the page has subscribed at its drawn resolution; count 10 s of frames.
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref counting, true);
        await Wait.UntilAsync(() => clock.Elapsed >= TimeSpan.FromSeconds(10), "ten seconds of traffic", TimeSpan.FromSeconds(30));
        Volatile.Write(ref counting, false);
        var rate = Interlocked.Read(ref bytes) / clock.Elapsed.TotalSeconds;
        var breakdown = string.Join(", ", types.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value / clock.Elapsed.TotalSeconds / 1000:0.0} kB/s"));
        TestContext.Current.SendDiagnosticMessage($"dashboard traffic {rate / 1000:0.0} kB/s: {breakdown}");
        File.WriteAllText(Path.Combine(TestFiles.ArtifactsDirectory(), "dashboard-traffic.txt"), $"{rate / 1000:0.0} kB/s over {clock.Elapsed.TotalSeconds:0.0} s at 1920x1080: {breakdown}\n");
        Assert.True(rate < TrafficBudgetBytesPerSecond, $"dashboard traffic {rate / 1000:0.0} kB/s over budget {TrafficBudgetBytesPerSecond / 1000} kB/s: {breakdown}");
        Assert.True(rate > 1000, $"no traffic measured ({rate:0} B/s)");
    }

    [Fact]
    public async Task Dashboard_TokenProtectedServer_PageWithoutTokenSaysSoAndWithTokenConnects()
    {
        await using var dashboard = await DashboardSession.StartAsync(1366, 768, token: "s3cret-token");
        var page = dashboard.Page;
        await page.GotoAsync(dashboard.BaseUrl + "/");
        await WaitForAsync(page, "document.getElementById('status').dataset.state === 'unauthorized'", "the page to say a token is needed");
        Assert.Contains("needs an access token", await page.InnerTextAsync("#auth"), StringComparison.Ordinal);
        Assert.Equal("access token required", await page.InnerTextAsync("#status"));

        await page.GotoAsync(dashboard.BaseUrl + "/?access_token=wrong");
        await WaitForAsync(page, "document.getElementById('status').dataset.state === 'unauthorized'", "the page to say the token is wrong");
        Assert.Contains("not valid", await page.InnerTextAsync("#auth"), StringComparison.Ordinal);

        await page.GotoAsync(dashboard.BaseUrl + "/?access_token=s3cret-token");
        await WaitForAsync(page, "document.getElementById('status').dataset.state === 'connected' && Number(document.getElementById('levels').dataset.updates) > 2", "the page with the token to stream");
    }

    private static string? TypeOf(string frame)
    {
        var match = DataTypePattern().Match(frame);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static int IndexOfLastSubscribed(string[] frames)
    {
        for (var i = frames.Length - 1; i >= 0; i--)
        {
            if (frames[i].Contains("\"type\":\"subscribed\"", StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static async Task<long[]> CountersAsync(IPage page) =>
        await page.EvaluateAsync<long[]>("() => [Number(document.getElementById('levels').dataset.updates), Number(document.getElementById('spectrogram').dataset.columns), Number(document.getElementById('spectrum').dataset.updates), Number(document.getElementById('scope').dataset.updates), Number(document.getElementById('tuner').dataset.updates)]");

    private static async Task<double> BytesAsync(IPage page) =>
        await page.EvaluateAsync<double>("() => Number(document.body.dataset.wsBytes)");

    private static async Task<List<Label>> VisibleLabelsAsync(IPage page, string panel)
    {
        var json = await page.EvaluateAsync<string>($$"""
            () => JSON.stringify(Array.from(document.querySelectorAll('#{{panel}}-panel .tick, #{{panel}}-panel .axis-title'))
                .filter(e => getComputedStyle(e).display !== 'none')
                .map(e => { const r = e.getBoundingClientRect(); return { kind: e.className, text: e.textContent, x: r.left, y: r.top, right: r.right, bottom: r.bottom }; }))
            """);
        return JsonSerializer.Deserialize<List<Label>>(json, CaseInsensitive)!;
    }

    private static async Task<Label> PanelBoxAsync(IPage page, string panel)
    {
        var box = (await page.Locator($"#{panel}-panel").BoundingBoxAsync())!;
        return new Label("panel", panel, box.X, box.Y, box.X + box.Width, box.Y + box.Height);
    }

    private static void AssertNoOverlap(string panel, List<Label> labels)
    {
        Assert.All(labels, l => Assert.True(l.Right > l.X && l.Bottom > l.Y, $"{panel}: label '{l.Text}' has no size"));
        for (var i = 0; i < labels.Count; i++)
        {
            for (var j = i + 1; j < labels.Count; j++)
            {
                var a = labels[i];
                var b = labels[j];
                var overlap = a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;
                Assert.False(overlap, $"{panel}: '{a.Text}' ({a.Kind}) overlaps '{b.Text}' ({b.Kind})");
            }
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

    [GeneratedRegex("\"data_type\":\"([a-z_]+)\"")]
    private static partial Regex DataTypePattern();

    private sealed record Label(string Kind, string Text, double X, double Y, double Right, double Bottom);

    /// <summary>A host fed the demo signal and one Chromium page at a given viewport; stops the host on dispose.</summary>
    private sealed class DashboardSession : IAsyncDisposable
    {
        private DashboardSession(WebApplication app, string baseUrl, Browser browser)
        {
            App = app;
            BaseUrl = baseUrl;
            Browser = browser;
        }

        public WebApplication App { get; }

        public string BaseUrl { get; }

        public Browser Browser { get; }

        public IPage Page => Browser.Page;

        public static async Task<DashboardSession> StartAsync(int width, int height, string? token = null)
        {
            Prerequisite.Require(File.Exists(ChromiumPath), $"{ChromiumPath} is not installed (run scripts/ci/chromium.sh).");
            var (app, baseUrl) = await AddFritureStreamingTests.StartWebAppAsync(AppSettings(token));
            try
            {
                return new DashboardSession(app, baseUrl, await Browser.OpenAsync(width, height));
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }

        /// <summary>Collects the text of every WebSocket frame the page receives from now on.</summary>
        public ConcurrentQueue<string> RecordTextFrames()
        {
            var frames = new ConcurrentQueue<string>();
            Page.WebSocket += (_, ws) => ws.FrameReceived += (_, f) => frames.Enqueue(f.Text ?? string.Empty);
            return frames;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await App.StopAsync(Wait.Token());
            }
            finally
            {
                await Browser.DisposeAsync();
                await App.DisposeAsync();
            }
        }
    }

    /// <summary>One headless Chromium with one page at a given viewport.</summary>
    private sealed class Browser : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowserContext _context;

        private Browser(IPlaywright playwright, IBrowserContext context, IPage page)
        {
            _playwright = playwright;
            _context = context;
            Page = page;
        }

        public IPage Page { get; }

        public static async Task<Browser> OpenAsync(int width, int height)
        {
            var playwright = await Playwright.CreateAsync();
            var context = await playwright.Chromium.LaunchPersistentContextAsync(TestFiles.TempDirectory(), new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                ViewportSize = new ViewportSize { Width = width, Height = height },
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new Browser(playwright, context, page);
        }

        public async Task ScreenshotAsync(string name)
        {
            var path = Path.Combine(TestFiles.ArtifactsDirectory(), name);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
            Assert.True(new FileInfo(path).Length > 10_000);
            TestContext.Current.AddAttachment(name, path);
        }

        public async ValueTask DisposeAsync()
        {
            await _context.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
