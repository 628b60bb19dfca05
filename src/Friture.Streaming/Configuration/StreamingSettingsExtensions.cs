using System.Globalization;
using Friture.Streaming.Buffering;
using Friture.Streaming.Consumers;
using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Configuration;

/// <summary>Saving and loading a <see cref="StreamingApi"/>'s configuration (the seed's <c>save_streaming_settings</c> / <c>load_streaming_settings</c>).</summary>
public static class StreamingSettingsExtensions
{
    /// <summary>Describes the API's current configuration: rate limits, buffers, file and queue consumers, protocols.</summary>
    /// <param name="api">The API.</param>
    /// <returns>The settings.</returns>
    public static StreamingSettings CaptureSettings(this StreamingApi api)
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

        foreach (var protocol in api.Protocols)
        {
            var entry = new ProtocolSettings { Kind = protocol.Name, Host = protocol.Host, Port = protocol.Port };
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

        return settings;
    }

    /// <summary>Writes the API's configuration to a JSON file.</summary>
    /// <param name="api">The API.</param>
    /// <param name="path">The file.</param>
    public static void SaveSettings(this StreamingApi api, string path) => api.CaptureSettings().Save(path);

    /// <summary>Reads a JSON settings file and applies it.</summary>
    /// <param name="api">The API.</param>
    /// <param name="path">The file.</param>
    /// <param name="protocolFactory">Creates protocols from their settings (a protocol package provides one); required when the file lists protocols.</param>
    /// <exception cref="StreamingSettingsException">The file cannot be read or a value is invalid; nothing was changed.</exception>
    public static void LoadSettings(this StreamingApi api, string path, Func<ProtocolSettings, StreamingProtocol>? protocolFactory = null) =>
        api.ApplySettings(StreamingSettings.Load(path), protocolFactory);

    /// <summary>
    /// Applies settings: rate limits, buffers, then creates and registers the consumers and protocols they list. Every
    /// value is validated first; when one is invalid, nothing changes and the exception lists every problem.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="protocolFactory">Creates protocols from their settings; required when settings list enabled protocols.</param>
    /// <exception cref="StreamingSettingsException">A value is invalid; the message names the setting, the value and the allowed range.</exception>
    public static void ApplySettings(this StreamingApi api, StreamingSettings settings, Func<ProtocolSettings, StreamingProtocol>? protocolFactory = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        var rates = new List<(DataType, double)>();
        foreach (var (name, rate) in settings.RateLimits)
        {
            if (TryType(name, $"rate_limits.{name}", problems) is { } type)
            {
                if (!double.IsFinite(rate) || rate < 0 || rate > 1_000_000)
                {
                    problems.Add($"rate_limits.{name} is {Format(rate)}; it must be between 0 (unlimited) and 1000000 Hz.");
                }
                else
                {
                    rates.Add((type, rate));
                }
            }
        }

        var buffers = new List<(DataType, BufferOptions)>();
        foreach (var (name, buffer) in settings.Buffers)
        {
            var path = $"buffers.{name}";
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
                buffers.Add((type, options));
            }
        }

        var consumers = new List<(Func<DataConsumer> Create, List<DataType> Types)>();
        for (var i = 0; i < settings.Consumers.Count; i++)
        {
            var entry = settings.Consumers[i];
            var path = $"consumers[{i}]";
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

                    consumers.Add((() => new FileConsumer(entry.FilePath!, format, size, entry.Id, api.TimeProvider), types));
                    break;
                case "queue":
                    var capacity = entry.MaxQueueSize ?? 1000;
                    if (capacity is < 1 or > BufferOptions.MaxAllowedSize)
                    {
                        problems.Add($"{path}.max_queue_size is {capacity}; it must be between 1 and {BufferOptions.MaxAllowedSize}.");
                    }

                    var queueOverflow = ParseOverflow(entry.OverflowStrategy, $"{path}.overflow_strategy", problems);
                    consumers.Add((() => new QueueConsumer(capacity, queueOverflow, entry.Id), types));
                    break;
                default:
                    problems.Add($"{path}.kind is '{entry.Kind}'; it must be file or queue (callback consumers are created in code).");
                    break;
            }
        }

        var protocols = new List<(ProtocolSettings Entry, SerializationFormat Format, List<DataType> Types)>();
        for (var i = 0; i < settings.Protocols.Count; i++)
        {
            var entry = settings.Protocols[i];
            var path = $"protocols[{i}]";
            if (!entry.Enabled)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(entry.Kind))
            {
                problems.Add($"{path}.kind is missing; name the protocol (websocket, tcp, udp, sse, ...).");
            }

            if (entry.Port is { } port && port is < 0 or > 65535)
            {
                problems.Add($"{path}.port is {port}; it must be between 0 and 65535.");
            }

            var format = entry.SerializationFormat switch
            {
                null or "json" => SerializationFormat.Json,
                "binary" => SerializationFormat.Binary,
                _ => Problem(problems, $"{path}.serialization_format is '{entry.SerializationFormat}'; it must be json or binary.", SerializationFormat.Json),
            };
            var types = Types(entry.DataTypes, $"{path}.data_types", problems, allowEmpty: true);
            if (protocolFactory is null)
            {
                problems.Add($"{path} ({entry.Kind}) needs a protocol factory: pass one from a protocol package (for example Friture.Streaming.Server).");
            }

            protocols.Add((entry, format, types.Count == 0 ? [.. DataType.BuiltIn] : types));
        }

        if (problems.Count > 0)
        {
            throw new StreamingSettingsException(
                $"Invalid streaming settings ({problems.Count} problem(s)): " + string.Join(" ", problems))
            { Problems = problems };
        }

        foreach (var (type, rate) in rates)
        {
            api.SetRateLimit(type, rate);
        }

        foreach (var (type, options) in buffers)
        {
            api.BufferManager.ConfigureBuffer(type, options);
        }

        foreach (var (create, types) in consumers)
        {
            var consumer = create();
            foreach (var type in types)
            {
                api.RegisterConsumer(type, consumer);
            }
        }

        foreach (var (entry, format, types) in protocols)
        {
            var protocol = protocolFactory!(entry);
            api.AddProtocol(protocol);
            var network = new NetworkConsumer(protocol, format);
            foreach (var type in types)
            {
                api.RegisterConsumer(type, network);
            }
        }
    }

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
