using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Serialization;
using Friture.Streaming.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Consumers;

public sealed class FileConsumerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "friture-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Jsonl_AfterFlush_EveryAcceptedMessageIsOnDiskAsOneEnvelopePerLine()
    {
        var path = Path.Combine(_directory, "friture_data.jsonl");
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.OctaveSpectrum, 0);
        var file = new FileConsumer(path, FileFormat.Jsonl, maxFileSizeMb: 100) { BufferOptions = new() { MaxSize = 10_000 } };
        api.RegisterConsumer(DataType.OctaveSpectrum, file);
        for (var i = 0; i < 500; i++)
        {
            api.Publish(DataType.OctaveSpectrum, new OctaveSpectrumData { CenterFrequencies = [1000f], BandEnergiesDb = [-i], BandLabels = ["1k"], BandsPerOctave = 3 });
        }

        await api.FlushAsync();
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(500, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var data = StreamingJson.Deserialize(lines[i]);
            Assert.Equal(i, data.Metadata.SequenceNumber);
            Assert.Equal(-i, Assert.IsType<OctaveSpectrumData>(data.Data).BandEnergiesDb[0]);
        }
    }

    [Fact]
    public async Task Jsonl_MaxSizeReached_RotatesToNumberedFilesWithNothingLost()
    {
        var path = Path.Combine(_directory, "log.jsonl");
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        var file = new FileConsumer(path, FileFormat.Jsonl, maxFileSizeMb: 0.01) { BufferOptions = new() { MaxSize = 10_000 } };
        api.RegisterConsumer(DataType.Levels, file);
        for (var i = 0; i < 400; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        await api.FlushAsync();
        var files = Directory.GetFiles(_directory, "log*.jsonl").Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > 2, $"expected rotation, got {files.Length} file(s)");
        Assert.Contains(Path.Combine(_directory, "log.1.jsonl"), files);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length <= 0.01 * 1024 * 1024, $"{f} is {new FileInfo(f).Length} bytes"));
        var sequences = files.SelectMany(File.ReadAllLines).Select(l => StreamingJson.Deserialize(l).Metadata.SequenceNumber).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 400).Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task StopStreaming_FileIsCompleteOnDisk()
    {
        var path = Path.Combine(_directory, "stop.jsonl");
        var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        api.RegisterConsumer(DataType.Levels, new FileConsumer(path) { BufferOptions = new() { MaxSize = 10_000 } });
        api.StartStreaming();
        for (var i = 0; i < 1000; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        api.StopStreaming();
        Assert.Equal(1000, File.ReadAllLines(path).Length);
        await api.DisposeAsync();
    }

    [Fact]
    public async Task DisposeApi_FileIsCompleteOnDisk()
    {
        var path = Path.Combine(_directory, "dispose.jsonl");
        var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        api.RegisterConsumer(DataType.Levels, new FileConsumer(path) { BufferOptions = new() { MaxSize = 10_000 } });
        for (var i = 0; i < 1000; i++)
        {
            api.Publish(DataType.Levels, Blocks.Levels(i));
        }

        await api.DisposeAsync();
        Assert.Equal(1000, File.ReadAllLines(path).Length);
    }

    [Fact]
    public async Task Csv_WritesHeaderAndFlattenedArrays()
    {
        var path = Path.Combine(_directory, "levels.csv");
        await using var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() });
        api.SetRateLimit(DataType.Levels, 0);
        api.RegisterConsumer(DataType.Levels, new FileConsumer(path, FileFormat.Csv));
        api.Publish(DataType.Levels, new LevelsData { PeakLevelsDb = [-1f, -2f], RmsLevelsDb = [-4f, -5f], ChannelLabels = ["ch1", "ch2"] });
        api.Publish(DataType.Levels, new LevelsData { PeakLevelsDb = [-1.5f, -2.5f], RmsLevelsDb = [-4.5f, -5.5f], ChannelLabels = ["ch1", "ch2"] });
        await api.FlushAsync();
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal(["timestamp", "stream_time", "data_type", "producer_id", "sequence_number"], header[..5]);
        Assert.Contains("peak_levels_db_0", header);
        Assert.Contains("peak_levels_db_1", header);
        var row = lines[2].Split(',');
        Assert.Equal("-2.5", row[Array.IndexOf(header, "peak_levels_db_1")]);
        Assert.Equal("levels", row[2]);
        Assert.Equal("1", row[4]);
    }

    [Fact]
    public void Constructor_UnwritablePath_IoErrorNamesPath()
    {
        var blocker = Path.Combine(_directory, "not-a-directory");
        Directory.CreateDirectory(_directory);
        File.WriteAllText(blocker, "x");
        var path = Path.Combine(blocker, "data.jsonl");
        var ex = Assert.Throws<IOException>(() => new FileConsumer(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Constructor_InvalidMaxSize_MessageNamesOption(double size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FileConsumer(Path.Combine(_directory, "x.jsonl"), maxFileSizeMb: size));
        Assert.Contains("max_file_size_mb", ex.Message, StringComparison.Ordinal);
    }
}
