using Friture.Streaming.Consumers;
using Friture.Streaming.Data;
using Friture.Streaming.Serialization;
using Friture.Streaming.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Friture.Streaming.Tests.Consumers;

/// <summary>
/// A file consumer on a really full disk: a 64 KiB tmpfs mounted by the test (root needed; skipped with the reason
/// elsewhere, required under CI=true).
/// </summary>
public sealed class FileConsumerFaultTests
{
    [Fact]
    public async Task FullDisk_ReportedOnce_MarkedFailed_EveryLineWhole_DisposeDoesNotThrow()
    {
        await using var disk = await FullDisk.MountAsync();
        var mount = disk.Path;
        var path = Path.Combine(mount, "octave.jsonl");
        var errors = new List<ConsumerErrorEventArgs>();
        const int Published = 3000;
        await using (var api = new StreamingApi(new StreamingApiOptions { TimeProvider = new FakeTimeProvider() }))
        {
            api.SetRateLimit(DataType.OctaveSpectrum, 0);
            var file = new FileConsumer(path, FileFormat.Jsonl) { BufferOptions = new() { MaxSize = Published } };
            file.ErrorOccurred += (_, e) => { lock (errors) { errors.Add(e); } };
            api.RegisterConsumer(DataType.OctaveSpectrum, file);
            for (var i = 0; i < Published; i++)
            {
                api.Publish(DataType.OctaveSpectrum, new OctaveSpectrumData { CenterFrequencies = [1000f, 2000f], BandEnergiesDb = [-i, -i], BandLabels = ["1k", "2k"], BandsPerOctave = 3 });
            }

            await api.FlushAsync();

            var error = Assert.Single(errors);
            Assert.Contains(path, error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("space", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
            Assert.NotNull(file.Failure);
            var statistics = Assert.Single(api.GetStatistics().Consumers, c => c.ConsumerId == file.ConsumerId);
            Assert.Equal(file.Failure, statistics.Failure);
            Assert.Equal(1, statistics.Errors);

            // Everything accepted before the fault is on disk, whole; the rest is counted as lost.
            var lines = await File.ReadAllLinesAsync(path);
            Assert.NotEmpty(lines);
            for (var i = 0; i < lines.Length; i++)
            {
                Assert.Equal(i, StreamingJson.Deserialize(lines[i]).Metadata.SequenceNumber);
            }

            Assert.EndsWith("\n", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
            Assert.Equal(lines.Length, file.MessagesWritten);
            Assert.Equal(Published, file.MessagesWritten + file.MessagesLost);

            await file.DisposeAsync();
            await file.DisposeAsync();
        }

        Assert.Single(errors);
    }

    [Fact]
    public async Task ParentIsAFile_ConstructorNamesThePathAndReason()
    {
        var directory = Path.Combine(Path.GetTempPath(), "friture-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var blocker = Path.Combine(directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "x");
        var path = Path.Combine(blocker, "data.jsonl");

        var ex = Assert.Throws<IOException>(() => new FileConsumer(path));

        Assert.StartsWith($"FileConsumer cannot open '{path}' for writing: ", ex.Message, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }
}
