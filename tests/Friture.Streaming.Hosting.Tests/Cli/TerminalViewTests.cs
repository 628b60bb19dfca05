using Friture.Streaming.Cli.Views;
using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Spectre.Console;

namespace Friture.Streaming.Hosting.Tests.Cli;

/// <summary>The live (Spectre.Console) and plain views render the latest analysis.</summary>
public sealed class TerminalViewTests : IAsyncDisposable
{
    private readonly List<StreamingApi> _apis = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var api in _apis)
        {
            await api.DisposeAsync();
        }
    }

    private AnalysisSnapshot Snapshot()
    {
        var snapshot = new AnalysisSnapshot();
        var consumer = snapshot.CreateConsumer();
        var api = new StreamingApi();
        _apis.Add(api);
        api.RegisterConsumer(DataType.Levels, consumer);
        api.RegisterConsumer(DataType.PitchTracker, consumer);
        api.RegisterConsumer(DataType.FftSpectrum, consumer);
        api.Publish(DataType.Levels, new LevelsData { PeakLevelsDb = [-6f], RmsLevelsDb = [-9f], PeakHoldLevelsDb = [-6f], ChannelLabels = ["ch1"] }, streamTime: 1.5);
        api.Publish(DataType.PitchTracker, new PitchData { FrequencyHz = 440.2, NoteName = "A4", CentsOffset = 0.8, Confidence = 0.9 }, streamTime: 1.5);
        api.Publish(DataType.FftSpectrum, new FftSpectrumData
        {
            Frequencies = [100f, 220f, 440f, 660f, 880f, 1000f],
            MagnitudesDb = [-90f, -40f, -6f, -80f, -30f, -95f],
            PeakFrequency = 440.1,
            PeakMagnitude = -6,
        }, streamTime: 1.5);
        return snapshot;
    }

    [Fact]
    public async Task PlainView_Line_ShowsLevelsPitchAndPeaks()
    {
        var snapshot = Snapshot();
        await Wait.UntilAsync(() => snapshot.Messages == 3, "three messages");

        var line = PlainView.Line(snapshot);

        Assert.Equal("[    1.5 s] levels ch1 peak -6.0 rms -9.0 dBFS | pitch A4 440.2 Hz +0.8 cents | peaks 440.1 Hz -6.0 dB; 880.0 Hz -30.0 dB | 3 msgs", line);
    }

    [Fact]
    public async Task LiveView_Render_DrawsMetersNoteAndPeaks()
    {
        var snapshot = Snapshot();
        await Wait.UntilAsync(() => snapshot.Messages == 3, "three messages");
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 120;

        console.Write(LiveView.Render(snapshot, ["  Dashboard  http://localhost:8765/"]));
        var text = writer.ToString();

        Assert.Contains("Dashboard  http://localhost:8765/", text, StringComparison.Ordinal);
        Assert.Contains("A4", text, StringComparison.Ordinal);
        Assert.Contains("440.20", text, StringComparison.Ordinal);
        Assert.Contains("+0.8", text, StringComparison.Ordinal);
        Assert.Contains("███", text, StringComparison.Ordinal);
        Assert.Contains("880.0", text, StringComparison.Ordinal);
    }
}
