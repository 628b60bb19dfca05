using Friture.Streaming.Buffering;
using Friture.Streaming.Configuration;
using Friture.Streaming.Consumers;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Tests.Configuration;

public sealed class StreamingSettingsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "friture-settings", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task SaveThenLoad_RoundTripsRateLimitsBuffersAndConsumers()
    {
        var settingsPath = Path.Combine(_directory, "streaming.json");
        var logPath = Path.Combine(_directory, "octave.jsonl");
        await using (var api = new StreamingApi())
        {
            api.SetRateLimit(DataType.PitchTracker, 30);
            api.SetRateLimit(DataType.Scope, 0);
            api.BufferManager.ConfigureBuffer(DataType.FftSpectrum, 500, DeliveryOrder.Lifo, ttl: TimeSpan.FromSeconds(30));
            api.RegisterConsumer(DataType.OctaveSpectrum, new FileConsumer(logPath, FileFormat.Csv, 5, "octave-log"));
            var queue = new QueueConsumer(250, OverflowStrategy.DropNewest, "worker");
            api.RegisterConsumer(DataType.Levels, queue);
            api.RegisterConsumer(DataType.PitchTracker, queue);
            api.SaveSettings(settingsPath);
        }

        await using var restored = new StreamingApi();
        restored.LoadSettings(settingsPath);
        Assert.Equal(30, restored.RateLimiter.GetRateLimit(DataType.PitchTracker));
        Assert.Equal(0, restored.RateLimiter.GetRateLimit(DataType.Scope));
        Assert.Equal(100, restored.RateLimiter.GetRateLimit(DataType.Levels));
        var buffer = restored.BufferManager.GetBufferOptions(DataType.FftSpectrum);
        Assert.Equal(500, buffer.MaxSize);
        Assert.Equal(DeliveryOrder.Lifo, buffer.Order);
        Assert.Equal(TimeSpan.FromSeconds(30), buffer.Ttl);
        var registrations = restored.GetRegistrations().ToDictionary(r => r.Consumer.ConsumerId);
        var file = Assert.IsType<FileConsumer>(registrations["octave-log"].Consumer);
        Assert.Equal(FileFormat.Csv, file.FileFormat);
        Assert.Equal(5 * 1024 * 1024, file.MaxFileSizeBytes);
        Assert.Equal([DataType.OctaveSpectrum], registrations["octave-log"].DataTypes);
        var worker = Assert.IsType<QueueConsumer>(registrations["worker"].Consumer);
        Assert.Equal(250, worker.MaxQueueSize);
        Assert.Equal(OverflowStrategy.DropNewest, worker.OverflowStrategy);
        Assert.Equal([DataType.Levels, DataType.PitchTracker], registrations["worker"].DataTypes);
        Assert.Contains("\"rate_limits\"", await File.ReadAllTextAsync(settingsPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplySettings_InvalidValues_ListsEveryProblemAndChangesNothing()
    {
        var settings = StreamingSettings.Parse("""
            {
              "rate_limits": { "pitch_tracker": -3, "bogus_type": 10, "levels": 5 },
              "buffers": { "fft_spectrum": { "max_size": 0, "order": "random" } },
              "consumers": [ { "kind": "file", "data_types": ["levels"] }, { "kind": "carrier_pigeon", "data_types": ["levels"] } ]
            }
            """);
        await using var api = new StreamingApi();
        var ex = Assert.Throws<StreamingSettingsException>(() => api.ApplySettings(settings));
        Assert.Contains("rate_limits.pitch_tracker is -3; it must be between 0 (unlimited) and 1000000 Hz.", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("rate_limits.bogus_type: 'bogus_type' is not a data type", StringComparison.Ordinal));
        Assert.Contains("buffers.fft_spectrum.order is 'random'; it must be fifo or lifo.", ex.Problems);
        Assert.Contains(ex.Problems, p => p.Contains("buffers.fft_spectrum.max_size is 0", StringComparison.Ordinal));
        Assert.Contains("consumers[0].file_path is missing; a file consumer needs a path.", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("consumers[1].kind is 'carrier_pigeon'", StringComparison.Ordinal));

        // Validation happens before anything is applied: the valid levels rate was not applied either.
        Assert.Equal(100, api.RateLimiter.GetRateLimit(DataType.Levels));
        Assert.Empty(api.GetRegistrations());
    }

    [Fact]
    public void Parse_UnknownKey_ErrorNamesIt()
    {
        var ex = Assert.Throws<StreamingSettingsException>(() => StreamingSettings.Parse("""{ "rate_limit": { "levels": 5 } }"""));
        Assert.Contains("rate_limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ErrorNamesFile()
    {
        var path = Path.Combine(_directory, "missing.json");
        var ex = Assert.Throws<StreamingSettingsException>(() => StreamingSettings.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromConfiguration_BindsSnakeCaseKeysFromAppSettings()
    {
        Directory.CreateDirectory(_directory);
        var appSettings = Path.Combine(_directory, "appsettings.json");
        await File.WriteAllTextAsync(appSettings, """
            {
              "Friture": { "Streaming": {
                "rate_limits": { "fft_spectrum": 15, "levels": 50 },
                "buffers": { "levels": { "max_size": 64, "overflow": "drop_newest", "ttl_seconds": 2.5 } },
                "consumers": [ { "kind": "queue", "id": "q", "data_types": [ "levels" ], "max_queue_size": 10 } ]
              } }
            }
            """);
        var configuration = new ConfigurationBuilder().AddJsonFile(appSettings).Build();
        var settings = StreamingSettings.FromConfiguration(configuration.GetSection("Friture:Streaming"));
        await using var api = new StreamingApi();
        api.ApplySettings(settings);
        Assert.Equal(15, api.RateLimiter.GetRateLimit(DataType.FftSpectrum));
        Assert.Equal(50, api.RateLimiter.GetRateLimit(DataType.Levels));
        var buffer = api.BufferManager.GetBufferOptions(DataType.Levels);
        Assert.Equal(64, buffer.MaxSize);
        Assert.Equal(OverflowStrategy.DropNewest, buffer.Overflow);
        Assert.Equal(TimeSpan.FromSeconds(2.5), buffer.Ttl);
        Assert.Equal(10, Assert.IsType<QueueConsumer>(Assert.Single(api.GetRegistrations()).Consumer).MaxQueueSize);
    }

    [Fact]
    public async Task ApplySettings_ProtocolWithoutFactory_IsAProblem()
    {
        var settings = StreamingSettings.Parse("""{ "protocols": [ { "kind": "websocket", "port": 8765 } ] }""");
        await using var api = new StreamingApi();
        var ex = Assert.Throws<StreamingSettingsException>(() => api.ApplySettings(settings));
        Assert.Contains(ex.Problems, p => p.Contains("protocol factory", StringComparison.Ordinal));
    }
}
