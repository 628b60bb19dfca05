using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>
/// The whole streaming configuration (<c>save_streaming_settings</c> in the original Friture streaming API / <c>load_streaming_settings</c>):
/// rate limits, buffers, consumers, protocols and their common resolution, as JSON with snake_case keys or from <see cref="IConfiguration"/>.
/// </summary>
/// <remarks>
/// <code>
/// { "rate_limits": { "pitch_tracker": 20 },
///   "buffers": { "fft_spectrum": { "max_size": 500, "order": "lifo", "ttl_seconds": 30 } },
///   "consumers": [ { "kind": "file", "data_types": ["octave_spectrum"], "file_path": "octave.jsonl" } ],
///   "protocols": [ { "kind": "websocket", "host": "localhost", "port": 8765 } ],
///   "resolution": "network" }
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

    /// <summary>
    /// The resolution of spectra, scope and octave bands for every network protocol (<c>resolution</c>: <c>network</c>,
    /// <c>full</c>, or keys such as <c>fft_spectrum.points=256,scope.points=512</c>), or <see langword="null"/> (the
    /// default) for each protocol's own default, <see cref="Reduction.ResolutionRequest.NetworkDefault"/>.
    /// </summary>
    /// <remarks>
    /// Precedence, highest first: what a client asks for itself (WebSocket, SSE and TCP query string or subscribe
    /// message), the protocol's own <c>options.resolution</c>, this key, the network default. It applies to the
    /// protocols listed in <see cref="Protocols"/> and, in a host, to the WebSocket and SSE endpoints it maps.
    /// </remarks>
    [ConfigurationKeyName("resolution")]
    public Reduction.ResolutionRequest? Resolution { get; set; }

    /// <summary>Reads settings from a JSON file, checking every key and value type against the schema.</summary>
    /// <param name="path">The file.</param>
    /// <param name="kinds">Protocol kinds, to check and bind each protocol's <c>options</c>; null: read them later, when applied.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="StreamingSettingsException">
    /// The file is missing, not valid JSON, or breaks the schema; <see cref="StreamingSettingsException.Problems"/> names
    /// every problem (unknown keys, values of the wrong type, unknown protocol kinds) with its JSON path.
    /// </exception>
    public static StreamingSettings Load(string path, IEnumerable<ProtocolKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        IConfigurationRoot configuration;
        try
        {
            using var stream = File.OpenRead(path);
            configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StreamingSettingsException($"Settings file '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException)
        {
            throw new StreamingSettingsException($"Settings file '{path}' is not valid JSON: {(ex.InnerException ?? ex).Message}", ex);
        }

        return FromConfiguration(configuration, kinds, $"Settings file '{path}'");
    }

    /// <summary>Reads settings from JSON text, checking every key and value type against the schema.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="kinds">Protocol kinds, to check and bind each protocol's <c>options</c>; null: read them later.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="StreamingSettingsException">The JSON is not valid or breaks the schema; every problem is named.</exception>
    public static StreamingSettings Parse(string json, IEnumerable<ProtocolKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        IConfigurationRoot configuration;
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
            configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException)
        {
            throw new StreamingSettingsException($"Settings JSON is not valid: {(ex.InnerException ?? ex).Message}", ex);
        }

        return FromConfiguration(configuration, kinds, "Settings JSON");
    }

    /// <summary>Binds settings from a configuration section (for example <c>configuration.GetSection("Friture:Streaming")</c>).</summary>
    /// <param name="section">The section; keys are the JSON keys (<c>rate_limits</c>, <c>buffers</c>, ...).</param>
    /// <param name="kinds">Protocol kinds, to check and bind each protocol's <c>options</c>; null: read them later.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="StreamingSettingsException">The section breaks the schema; every problem is named with its path.</exception>
    public static StreamingSettings FromConfiguration(IConfiguration section, IEnumerable<ProtocolKind>? kinds = null) =>
        FromConfiguration(section, kinds, "Settings");

    private static StreamingSettings FromConfiguration(IConfiguration section, IEnumerable<ProtocolKind>? kinds, string source)
    {
        ArgumentNullException.ThrowIfNull(section);
        var problems = new List<string>();
        var set = kinds is null ? null : new ProtocolKindSet(kinds);
        var canonical = SettingsSchema.Check(section, typeof(StreamingSettings), set, problems);
        StreamingSettingsException.ThrowIfAny(source, problems);
        var settings = new StreamingSettings();
        Bind(canonical, settings, set, string.Empty);
        return settings;
    }

    /// <summary>Binds a checked canonical tree onto <paramref name="settings"/>, the protocols' options through their kinds.</summary>
    /// <param name="canonical">Keys from <see cref="SettingsSchema.Check"/>, relative to the settings object.</param>
    /// <param name="settings">The settings to fill.</param>
    /// <param name="kinds">The kinds, or null to keep each protocol's options section for later.</param>
    /// <param name="prefix">Prefix of the settings keys in <paramref name="canonical"/> (empty, or for example <c>Settings:</c>).</param>
    internal static void Bind(Dictionary<string, string?> canonical, StreamingSettings settings, ProtocolKindSet? kinds, string prefix)
    {
        var main = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var options = new Dictionary<int, Dictionary<string, string?>>();
        var marker = prefix + "protocols:";
        foreach (var (key, value) in canonical)
        {
            if (!key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (key.StartsWith(marker, StringComparison.OrdinalIgnoreCase))
            {
                var rest = key[marker.Length..];
                var colon = rest.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && int.TryParse(rest.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                    && rest.AsSpan(colon + 1).StartsWith("options", StringComparison.OrdinalIgnoreCase)
                    && (rest.Length == colon + 8 || rest[colon + 8] == ':'))
                {
                    if (!options.TryGetValue(index, out var entry))
                    {
                        options[index] = entry = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    }

                    if (rest.Length > colon + 8)
                    {
                        entry[rest[(colon + 9)..]] = value;
                    }

                    continue;
                }
            }

            main[key[prefix.Length..]] = value;
        }

        // "resolution" is text (network, full, or keys), already checked by the schema: parsed here, hidden from the binder.
        foreach (var key in main.Keys.Where(static k => SettingsSchema.Normalize(k) == "RESOLUTION").ToList())
        {
            if (main[key] is { } text && Reduction.ResolutionParser.TryParseText(text, out var resolution, out _))
            {
                settings.Resolution = resolution;
            }

            main.Remove(key);
        }

        SettingsSchema.ToConfiguration(main).Bind(settings);
        for (var i = 0; i < settings.Protocols.Count; i++)
        {
            var entry = settings.Protocols[i];
            var section = options.TryGetValue(i, out var keys) ? SettingsSchema.ToConfiguration(keys) : null;
            entry.OptionsSection = section;
            if (kinds is not null && kinds.TryGet(entry.Kind, out var kind))
            {
                entry.Options = kind.BindOptions(section);
            }
        }
    }

    /// <summary>Writes the settings as indented JSON.</summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        SettingsWriter.Save(this, path);
    }

    /// <summary>The settings as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    /// <remarks>
    /// Protocol options are written with their values, secrets included (an <c>access_token</c>, an MQTT password), so
    /// that loading the file gives the same protocols; <see cref="Save"/> makes the file readable by its owner only.
    /// </remarks>
    public string ToJson() => SettingsWriter.Write(this);
}
