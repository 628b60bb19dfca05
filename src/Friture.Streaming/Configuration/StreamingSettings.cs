using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>
/// The whole streaming configuration (the seed's <c>save_streaming_settings</c> / <c>load_streaming_settings</c>):
/// rate limits, buffers, consumers and protocols, as JSON with snake_case keys or from <see cref="IConfiguration"/>.
/// </summary>
/// <remarks>
/// <code>
/// { "rate_limits": { "pitch_tracker": 20 },
///   "buffers": { "fft_spectrum": { "max_size": 500, "order": "lifo", "ttl_seconds": 30 } },
///   "consumers": [ { "kind": "file", "data_types": ["octave_spectrum"], "file_path": "octave.jsonl" } ],
///   "protocols": [ { "kind": "websocket", "host": "localhost", "port": 8765 } ] }
/// </code>
/// Applying settings validates every value first; nothing changes when one is invalid.
/// </remarks>
public sealed class StreamingSettings
{
    /// <summary>Maximum rate per data type (wire name) in Hz; 0 = unlimited.</summary>
    [ConfigurationKeyName("rate_limits")]
    public Dictionary<string, double> RateLimits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Queue shape per data type (wire name).</summary>
    [ConfigurationKeyName("buffers")]
    public Dictionary<string, BufferSettings> Buffers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>File and queue consumers.</summary>
    [ConfigurationKeyName("consumers")]
    public List<ConsumerSettings> Consumers { get; set; } = [];

    /// <summary>Network protocols.</summary>
    [ConfigurationKeyName("protocols")]
    public List<ProtocolSettings> Protocols { get; set; } = [];

    /// <summary>Reads settings from a JSON file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="StreamingSettingsException">The file is missing or not valid JSON; the message names the file and the problem.</exception>
    public static StreamingSettings Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, SettingsJsonContext.Default.StreamingSettings)
                ?? throw new StreamingSettingsException($"Settings file '{path}' holds null, not a settings object.");
        }
        catch (JsonException ex)
        {
            throw new StreamingSettingsException($"Settings file '{path}' is not valid: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new StreamingSettingsException($"Settings file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Reads settings from JSON text.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="StreamingSettingsException">The JSON is not valid.</exception>
    public static StreamingSettings Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SettingsJsonContext.Default.StreamingSettings)
                ?? throw new StreamingSettingsException("Settings JSON is null, not a settings object.");
        }
        catch (JsonException ex)
        {
            throw new StreamingSettingsException($"Settings JSON is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Binds settings from a configuration section (for example <c>configuration.GetSection("Friture:Streaming")</c>).</summary>
    /// <param name="section">The section; keys are the JSON keys (<c>rate_limits</c>, <c>buffers</c>, ...).</param>
    /// <returns>The settings.</returns>
    public static StreamingSettings FromConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var settings = new StreamingSettings();
        section.Bind(settings);
        return settings;
    }

    /// <summary>Writes the settings as indented JSON.</summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, ToJson());
    }

    /// <summary>The settings as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, SettingsJsonContext.Default.StreamingSettings);
}
