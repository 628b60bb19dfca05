using Friture.Streaming.Analyzers;
using Friture.Streaming.Audio;
using Friture.Streaming.Configuration;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Hosting;

/// <summary>
/// Everything <c>services.AddFritureStreaming(...)</c> runs: the audio input, the seven analyzers' options, the block
/// size, the endpoint paths used by <c>app.MapFritureStreaming()</c>, and the streaming settings (rate limits, buffers,
/// file/queue consumers, self-hosted protocols).
/// </summary>
/// <remarks>
/// One options graph with one schema: the configuration section <c>Friture:Streaming</c> (appsettings), a settings file
/// (<c>friture-stream --settings</c>) and the command-line flags all bind here, with the keys <c>input</c>,
/// <c>analyzers</c>, <c>block_size</c>, <c>endpoints</c> and, at the same level, the <see cref="Settings"/> keys
/// <c>rate_limits</c>, <c>buffers</c>, <c>consumers</c>, <c>protocols</c> and <c>resolution</c> (the default resolution
/// of every network protocol and of the WebSocket and SSE endpoints; a protocol's own <c>options.resolution</c> wins). Keys are snake_case or the property names;
/// unknown keys and values of the wrong type are errors, all reported at once with their paths.
/// </remarks>
public sealed class FritureStreamingOptions
{
    /// <summary>Smallest accepted <see cref="BlockSize"/>.</summary>
    public const int MinBlockSize = StreamingApiOptions.MinBlockSize;

    /// <summary>Largest accepted <see cref="BlockSize"/>.</summary>
    public const int MaxBlockSize = StreamingApiOptions.MaxBlockSize;

    /// <summary>Where the audio comes from. Default: the default capture device, else the built-in demo signal.</summary>
    [ConfigurationKeyName("input")]
    public FritureInputOptions Input { get; set; } = new();

    /// <summary>Options of the seven analyzers (all registered; an analyzer with no consumer does no work).</summary>
    [ConfigurationKeyName("analyzers")]
    public FritureAnalyzerOptions Analyzers { get; set; } = new();

    /// <summary>Frames per analysis block, 16 to 65,536. Default 512 (as Friture).</summary>
    [ConfigurationKeyName("block_size")]
    public int BlockSize { get; set; } = 512;

    /// <summary>Paths of the WebSocket, SSE and dashboard endpoints mapped by <c>MapFritureStreaming</c>.</summary>
    [ConfigurationKeyName("endpoints")]
    public FritureEndpointOptions Endpoints { get; set; } = new();

    /// <summary>Rate limits, buffers, consumers and self-hosted protocols, applied when the pipeline is built.</summary>
    /// <remarks>Protocols listed here run on their own ports (created by their <see cref="ProtocolKind"/>).</remarks>
    [ConfigurationKeyName("settings")]
    public StreamingSettings Settings { get; set; } = new();

    /// <summary>An audio source built in code; when set, it replaces <see cref="Input"/>. The pipeline disposes it.</summary>
    public IAudioSource? AudioSource { get; set; }

    /// <summary>Validates every option; the message names the option, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (BlockSize is < MinBlockSize or > MaxBlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, $"block_size is {BlockSize}; it must be between {MinBlockSize} and {MaxBlockSize} frames.");
        }

        Input.Validate();
        Analyzers.Validate();
        Endpoints.Validate();
    }

    /// <summary>Problems found while binding from configuration (unknown keys, wrong types), reported by validation.</summary>
    internal List<string> SchemaProblems { get; } = [];

    /// <summary>Binds a configuration section (appsettings, a settings file, flags) after checking it against the schema.</summary>
    /// <param name="section">The section.</param>
    /// <param name="kinds">The protocol kinds.</param>
    /// <returns>The canonical keys that were bound.</returns>
    internal Dictionary<string, string?> Bind(IConfiguration section, ProtocolKindSet kinds)
    {
        var problems = new List<string>();
        var canonical = SettingsSchema.Check(section, typeof(FritureStreamingOptions), kinds, problems);
        SchemaProblems.AddRange(problems);

        // The canonical tree holds only keys and values that passed the schema: binding it is safe even when some did
        // not, so that the values' own checks can report their problems in the same pass.
        var main = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in canonical)
        {
            if (!key.StartsWith("settings:", StringComparison.OrdinalIgnoreCase))
            {
                main[key] = value;
            }
        }

        SettingsSchema.ToConfiguration(main).Bind(this);
        StreamingSettings.Bind(canonical, Settings, kinds, "settings:");
        return canonical;
    }

    /// <summary>Every problem of the graph at once: schema problems, then each part's values, each with its path.</summary>
    /// <param name="kinds">The protocol kinds.</param>
    /// <returns>The problems.</returns>
    internal List<string> Problems(ProtocolKindSet kinds)
    {
        var problems = new List<string>(SchemaProblems);
        if (BlockSize is < MinBlockSize or > MaxBlockSize)
        {
            problems.Add($"block_size is {BlockSize}; it must be between {MinBlockSize} and {MaxBlockSize} frames.");
        }

        Check(problems, Input.Validate, typeof(FritureInputOptions), "input");
        Check(problems, Endpoints.Validate, typeof(FritureEndpointOptions), "endpoints");
        foreach (var analyzer in BuiltInAnalyzers.All)
        {
            if (Analyzers.OptionsFor(analyzer) is { } analyzerOptions)
            {
                Check(problems, () => analyzer.Validate(analyzerOptions), analyzer.OptionsType, "analyzers." + analyzer.SettingsKey);
            }
        }

        StreamingSettingsExtensions.Validate(Settings, kinds, problems);
        return [.. problems.Distinct(StringComparer.Ordinal)];
    }

    private static void Check(List<string> problems, Action validate, Type type, string path)
    {
        try
        {
            validate();
        }
        catch (ArgumentException ex)
        {
            problems.Add(SettingsSchema.Rename(ex, type, path));
        }
    }
}
