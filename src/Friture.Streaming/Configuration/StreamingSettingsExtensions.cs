using System.Globalization;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Configuration;

/// <summary>Saving and loading a <see cref="StreamingApi"/>'s configuration (<c>save_streaming_settings</c> in the original Friture streaming API / <c>load_streaming_settings</c>).</summary>
public static class StreamingSettingsExtensions
{
    /// <summary>Describes the API's current configuration: rate limits, buffers, file and queue consumers, protocols, and the global resolution the protocols inherited.</summary>
    /// <param name="api">The API.</param>
    /// <param name="kinds">Protocol kinds, to describe each protocol with its options (an access token included); a protocol of no listed kind is saved with its kind, host and port only.</param>
    /// <returns>The settings.</returns>
    public static StreamingSettings CaptureSettings(this StreamingApi api, IEnumerable<ProtocolKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var settings = new StreamingSettings();
        foreach (var (type, rate) in api.RateLimiter.GetRateLimits())
        {
            settings.RateLimits[type.Name] = rate;
        }

        foreach (var (type, options) in api.BufferManager.GetConfiguredBuffers())
        {
            settings.Buffers[type.Name] = new BufferSettings
            {
                MaxSize = options.MaxSize,
                Overflow = options.Overflow == OverflowStrategy.DropOldest ? "drop_oldest" : "drop_newest",
                Order = options.Order == DeliveryOrder.Fifo ? "fifo" : "lifo",
                TtlSeconds = options.Ttl?.TotalSeconds,
            };
        }

        var registrations = api.GetRegistrations();
        foreach (var (consumer, types) in registrations)
        {
            var names = types.Select(static t => t.Name).ToList();
            switch (consumer)
            {
                case FileConsumer file:
                    settings.Consumers.Add(new ConsumerSettings
                    {
                        Kind = "file",
                        Id = file.ConsumerId,
                        DataTypes = names,
                        FilePath = file.FilePath,
                        FileFormat = file.FileFormat == FileFormat.Jsonl ? "jsonl" : "csv",
                        MaxFileSizeMb = file.MaxFileSizeBytes / (1024.0 * 1024.0),
                    });
                    break;
                case QueueConsumer queue:
                    settings.Consumers.Add(new ConsumerSettings
                    {
                        Kind = "queue",
                        Id = queue.ConsumerId,
                        DataTypes = names,
                        MaxQueueSize = queue.MaxQueueSize,
                        OverflowStrategy = queue.OverflowStrategy == OverflowStrategy.DropOldest ? "drop_oldest" : "drop_newest",
                    });
                    break;
            }
        }

        var set = new ProtocolKindSet(kinds);
        foreach (var protocol in api.Protocols)
        {
            ProtocolSettings? entry = null;
            foreach (var kind in set.Kinds)
            {
                if (kind.Capture(protocol) is { } captured)
                {
                    entry = captured;
                    entry.Kind ??= kind.Name;
                    break;
                }
            }

            entry ??= new ProtocolSettings { Kind = protocol.Name, Host = protocol.Host, Port = protocol.Port };
            foreach (var (consumer, types) in registrations)
            {
                if (consumer is NetworkConsumer network && ReferenceEquals(network.Protocol, protocol))
                {
                    entry.SerializationFormat = network.SerializationFormat == SerializationFormat.Json ? "json" : "binary";
                    entry.DataTypes.AddRange(types.Select(static t => t.Name));
                }
            }

            settings.Protocols.Add(entry);
        }

        // The global resolution is not kept by the API: it is the one the protocols inherited (saved once, at the top).
        settings.Resolution = api.Protocols.Select(static p => p.CommonOptions).OfType<StreamingProtocolOptions>()
            .FirstOrDefault(static o => !o.IsResolutionSet && !o.Resolution.Equals(Reduction.ResolutionRequest.NetworkDefault))?.Resolution;
        return settings;
    }

    /// <summary>Writes the API's configuration to a JSON file.</summary>
    /// <param name="api">The API.</param>
    /// <param name="path">The file.</param>
    /// <param name="kinds">Protocol kinds, to save each protocol with its options.</param>
    public static void SaveSettings(this StreamingApi api, string path, IEnumerable<ProtocolKind>? kinds = null) => api.CaptureSettings(kinds).Save(path);

    /// <summary>Reads a JSON settings file and applies it.</summary>
    /// <param name="api">The API.</param>
    /// <param name="path">The file.</param>
    /// <param name="kinds">Protocol kinds (each protocol package declares its own, for example <c>MqttProtocol.Kind</c>); required when the file lists protocols.</param>
    /// <exception cref="StreamingSettingsException">The file cannot be read or a value is invalid; nothing was changed.</exception>
    public static void LoadSettings(this StreamingApi api, string path, IEnumerable<ProtocolKind>? kinds = null) =>
        api.ApplySettings(StreamingSettings.Load(path, kinds), kinds);

    /// <summary>
    /// Applies settings: rate limits, buffers, then creates and registers the consumers and protocols they list. Every
    /// value is validated first; when one is invalid, nothing changes and the exception lists every problem.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="kinds">Protocol kinds that create the listed protocols; required when settings list enabled protocols.</param>
    /// <param name="context">Logging and clock for the protocols; default: the API's.</param>
    /// <exception cref="StreamingSettingsException">A value is invalid; the message names the setting, the value and the allowed range.</exception>
    public static void ApplySettings(this StreamingApi api, StreamingSettings settings, IEnumerable<ProtocolKind>? kinds = null, ProtocolContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        var plan = Prepare(settings, new ProtocolKindSet(kinds), problems, string.Empty, api.TimeProvider);
        StreamingSettingsException.ThrowIfAny("Streaming settings", problems);
        context ??= new ProtocolContext { LoggerFactory = api.LoggerFactory, TimeProvider = api.TimeProvider };

        // Consumers first (a file that cannot be opened is named before anything changes).
        var created = new List<(DataConsumer Consumer, List<DataType> Types)>();
        for (var i = 0; i < plan.Consumers.Count; i++)
        {
            var (create, types) = plan.Consumers[i];
            try
            {
                created.Add((create(), types));
            }
            catch (IOException ex)
            {
                foreach (var (consumer, _) in created)
                {
                    consumer.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }

                var problem = $"consumers[{i}]: {ex.Message}";
                throw new StreamingSettingsException(problem, ex) { Problems = [problem] };
            }
        }

        foreach (var (type, rate) in plan.Rates)
        {
            api.SetRateLimit(type, rate);
        }

        foreach (var (type, options) in plan.Buffers)
        {
            api.BufferManager.ConfigureBuffer(type, options);
        }

        foreach (var (consumer, types) in created)
        {
            foreach (var type in types)
            {
                api.RegisterConsumer(type, consumer);
            }
        }

        foreach (var (kind, entry, format, types) in plan.Protocols)
        {
            if (settings.Resolution is { } resolution)
            {
                // The global resolution, unless the entry's own options.resolution (or code) set one.
                entry.Options ??= kind.BindOptions(null);
                (entry.Options as StreamingProtocolOptions)?.InheritResolution(resolution);
            }

            var protocol = kind.Create(entry, context);
            api.AddProtocol(protocol);
            var network = new NetworkConsumer(protocol, format);
            foreach (var type in types)
            {
                api.RegisterConsumer(type, network);
            }
        }
    }

    /// <summary>Checks every value of <paramref name="settings"/> and collects every problem, with <paramref name="prefix"/> before each path.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="kinds">The protocol kinds.</param>
    /// <param name="problems">Receives the problems.</param>
    /// <param name="prefix">Path prefix (empty, or for example <c>settings.</c>).</param>
    internal static void Validate(StreamingSettings settings, ProtocolKindSet kinds, List<string> problems, string prefix = "") =>
        Prepare(settings, kinds, problems, prefix, TimeProvider.System);

    private sealed class Plan
    {
        public List<(DataType Type, double Rate)> Rates { get; } = [];

        public List<(DataType Type, BufferOptions Options)> Buffers { get; } = [];

        public List<(Func<DataConsumer> Create, List<DataType> Types)> Consumers { get; } = [];

        public List<(ProtocolKind Kind, ProtocolSettings Entry, SerializationFormat Format, List<DataType> Types)> Protocols { get; } = [];
    }

    private static Plan Prepare(StreamingSettings settings, ProtocolKindSet kinds, List<string> problems, string prefix, TimeProvider time)
    {
        var plan = new Plan();
        if (settings.Resolution?.Validate() is { } resolutionError)
        {
            problems.Add($"{prefix}resolution: {resolutionError} Use network, full, or keys such as fft_spectrum.points=256,scope.points=512.");
        }

        foreach (var (name, rate) in settings.RateLimits)
        {
            if (TryType(name, $"{prefix}rate_limits.{name}", problems) is { } type)
            {
                if (!double.IsFinite(rate) || rate < 0 || rate > 1_000_000)
                {
                    problems.Add($"{prefix}rate_limits.{name} is {Format(rate)}; it must be between 0 (unlimited) and 1000000 Hz.");
                }
                else
                {
                    plan.Rates.Add((type, rate));
                }
            }
        }

        foreach (var (name, buffer) in settings.Buffers)
        {
            var path = $"{prefix}buffers.{name}";
            if (TryType(name, path, problems) is not { } type)
            {
                continue;
            }

            var overflow = ParseOverflow(buffer.Overflow, $"{path}.overflow", problems);
            var order = buffer.Order switch
            {
                null or "fifo" => DeliveryOrder.Fifo,
                "lifo" => DeliveryOrder.Lifo,
                _ => Problem(problems, $"{path}.order is '{buffer.Order}'; it must be fifo or lifo.", DeliveryOrder.Fifo),
            };
            var options = new BufferOptions
            {
                MaxSize = buffer.MaxSize ?? BufferOptions.Default.MaxSize,
                Overflow = overflow,
                Order = order,
                Ttl = buffer.TtlSeconds is { } ttl && double.IsFinite(ttl) && ttl is > 0 and <= 86_400 ? TimeSpan.FromSeconds(ttl) : null,
            };
            if (buffer.TtlSeconds is { } t && !(double.IsFinite(t) && t is >= 0.001 and <= 86_400))
            {
                problems.Add($"{path}.ttl_seconds is {Format(t)}; it must be between 0.001 and 86400 seconds, or unset.");
            }

            if (Check(() => options.Validate(path), problems))
            {
                plan.Buffers.Add((type, options));
            }
        }

        for (var i = 0; i < settings.Consumers.Count; i++)
        {
            var entry = settings.Consumers[i];
            var path = $"{prefix}consumers[{i}]";
            var types = Types(entry.DataTypes, $"{path}.data_types", problems, allowEmpty: false);
            switch (entry.Kind)
            {
                case "file":
                    var format = entry.FileFormat switch
                    {
                        null or "jsonl" => FileFormat.Jsonl,
                        "csv" => FileFormat.Csv,
                        _ => Problem(problems, $"{path}.file_format is '{entry.FileFormat}'; it must be jsonl or csv.", FileFormat.Jsonl),
                    };
                    if (string.IsNullOrWhiteSpace(entry.FilePath))
                    {
                        problems.Add($"{path}.file_path is missing; a file consumer needs a path.");
                    }

                    var size = entry.MaxFileSizeMb ?? 100;
                    if (!double.IsFinite(size) || size <= 0 || size > 1_048_576)
                    {
                        problems.Add($"{path}.max_file_size_mb is {Format(size)}; it must be above 0 and at most 1048576.");
                    }

                    plan.Consumers.Add((() => new FileConsumer(entry.FilePath!, format, size, entry.Id, time), types));
                    break;
                case "queue":
                    var capacity = entry.MaxQueueSize ?? 1000;
                    if (capacity is < 1 or > BufferOptions.MaxAllowedSize)
                    {
                        problems.Add($"{path}.max_queue_size is {capacity}; it must be between 1 and {BufferOptions.MaxAllowedSize}.");
                    }

                    var queueOverflow = ParseOverflow(entry.OverflowStrategy, $"{path}.overflow_strategy", problems);
                    plan.Consumers.Add((() => new QueueConsumer(capacity, queueOverflow, entry.Id), types));
                    break;
                default:
                    problems.Add($"{path}.kind is '{entry.Kind}'; it must be file or queue (callback consumers are created in code).");
                    break;
            }
        }

        for (var i = 0; i < settings.Protocols.Count; i++)
        {
            var entry = settings.Protocols[i];
            var path = $"{prefix}protocols[{i}]";
            if (!entry.Enabled)
            {
                continue;
            }

            ProtocolKind? kind = null;
            if (string.IsNullOrWhiteSpace(entry.Kind))
            {
                problems.Add($"{path}.kind is missing; name the protocol ({Known(kinds)}).");
            }
            else if (!kinds.TryGet(entry.Kind, out kind))
            {
                problems.Add(kinds.Kinds.Count == 0
                    ? $"{path} ({entry.Kind}) needs a protocol factory: pass the protocol kinds of a protocol package (for example ServerProtocolKinds.All, MqttSettings.Kind)."
                    : $"{path}.kind is '{entry.Kind}', which is not a protocol kind; known: {Known(kinds)}.");
            }

            if (entry.Port is { } port && port is < 0 or > 65535)
            {
                problems.Add($"{path}.port is {port}; it must be between 0 and 65535.");
            }

            for (var c = 0; c < entry.Clients.Count; c++)
            {
                if (!TryEndpoint(entry.Clients[c], out _, out _))
                {
                    problems.Add($"{path}.clients[{c}] is '{entry.Clients[c]}'; it must be host:port with a port between 1 and 65535.");
                }
            }

            var format = entry.SerializationFormat switch
            {
                null or "json" => SerializationFormat.Json,
                "binary" => SerializationFormat.Binary,
                _ => Problem(problems, $"{path}.serialization_format is '{entry.SerializationFormat}'; it must be json or binary.", SerializationFormat.Json),
            };
            var types = Types(entry.DataTypes, $"{path}.data_types", problems, allowEmpty: true);
            if (kind is null)
            {
                continue;
            }

            if (entry.Options is null && entry.OptionsSection is { } section)
            {
                var before = problems.Count;
                var canonical = SettingsSchema.Check(section, kind.OptionsType, kinds, problems);
                for (var p = before; p < problems.Count; p++)
                {
                    problems[p] = $"{path}.options.{problems[p]}";
                }

                if (problems.Count > before)
                {
                    continue;
                }

                entry.Options = kind.BindOptions(SettingsSchema.ToConfiguration(canonical));
            }

            try
            {
                kind.Validate(entry, entry.Options ?? kind.BindOptions(null));
            }
            catch (ArgumentException ex)
            {
                problems.Add(SettingsSchema.Rename(ex, kind.OptionsType, $"{path}.options"));
                continue;
            }

            plan.Protocols.Add((kind, entry, format, types.Count == 0 ? [.. DataType.BuiltIn] : types));
        }

        return plan;
    }

    /// <summary>Parses <c>host:port</c> (port 1 to 65535; IPv6 hosts in brackets).</summary>
    /// <param name="text">The text.</param>
    /// <param name="host">The host.</param>
    /// <param name="port">The port.</param>
    /// <returns>Whether the text is <c>host:port</c>.</returns>
    internal static bool TryEndpoint(string? text, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        host = text[..colon].Trim().Trim('[', ']');
        return host.Length > 0;
    }

    private static string Known(ProtocolKindSet kinds) => string.Join(", ", kinds.Names);

    private static DataType? TryType(string name, string path, List<string> problems)
    {
        if (DataType.TryParse(name, out var type))
        {
            return type;
        }

        problems.Add($"{path}: '{name}' is not a data type; known: {string.Join(", ", DataType.All.Select(static t => t.Name))}.");
        return null;
    }

    private static List<DataType> Types(List<string> names, string path, List<string> problems, bool allowEmpty)
    {
        if (names.Count == 0 && !allowEmpty)
        {
            problems.Add($"{path} is empty; list at least one data type.");
        }

        var types = new List<DataType>();
        foreach (var name in names)
        {
            if (TryType(name, path, problems) is { } type)
            {
                types.Add(type);
            }
        }

        return types;
    }

    private static OverflowStrategy ParseOverflow(string? value, string path, List<string> problems) => value switch
    {
        null or "drop_oldest" => OverflowStrategy.DropOldest,
        "drop_newest" => OverflowStrategy.DropNewest,
        _ => Problem(problems, $"{path} is '{value}'; it must be drop_oldest or drop_newest.", OverflowStrategy.DropOldest),
    };

    private static T Problem<T>(List<string> problems, string message, T fallback)
    {
        problems.Add(message);
        return fallback;
    }

    private static bool Check(Action validate, List<string> problems)
    {
        try
        {
            validate();
            return true;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            problems.Add(ex.Message.Split(" (Parameter", 2)[0]);
            return false;
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
