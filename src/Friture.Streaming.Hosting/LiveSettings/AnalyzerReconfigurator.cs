using System.Globalization;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Analyzers;
using Friture.Streaming.Analyzers.Loudness;
using Friture.Streaming.Producers;
using Friture.Streaming.Server.Clients;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Hosting.LiveSettings;

/// <summary>
/// Applies the WebSocket <c>configure</c> control message (<c>{"action":"configure","data_type":"fft_spectrum",
/// "options":{"fft_size":8192,"window":"hann"}}</c>): binds the options onto a copy of the analyzer's current ones,
/// validates them, and swaps in a new producer built from them. Consumers and subscriptions are untouched.
/// </summary>
/// <remarks>
/// Option names are the options classes' properties in snake_case (<c>fft_size</c>) or as written (<c>FftSize</c>);
/// enum values by name, case-insensitive, with or without underscores (<c>blackman_harris</c>), plus <c>log</c> and
/// <c>lin</c> for frequency scales. An unknown option, a bad value or an out-of-range setting leaves the analyzer as
/// it was and answers one error naming the option. Thread-safe: messages from several clients are applied one at a time.
/// </remarks>
internal sealed class AnalyzerReconfigurator
{
    private readonly StreamingApi _api;
    private readonly Lock _gate = new();

    public AnalyzerReconfigurator(StreamingApi api) => _api = api;

    /// <summary>The control-message handler (see <see cref="ControlExtension"/>).</summary>
    public string? Handle(ControlAction action, string dataType, JsonElement options) => action switch
    {
        ControlAction.Configure => Configure(dataType, options),
        ControlAction.Reset => Reset(dataType),
        _ => $"Unsupported action {action}.",
    };

    /// <summary>Re-creates the analyzer of <paramref name="dataType"/> with <paramref name="options"/> applied.</summary>
    /// <returns>null when applied, otherwise the error for the client.</returns>
    public string? Configure(string dataType, JsonElement options)
    {
        lock (_gate)
        {
            if (Find(dataType) is not { } current)
            {
                return $"Unknown data type '{dataType}' for configure; configurable: {string.Join(", ", Configurable())}.";
            }

            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in options.EnumerateObject())
            {
                var key = PascalCase(property.Name);
                values[key] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => EnumText(property.Value.GetString()),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => "\u0000", // objects and arrays: no option takes one; the binder reports the key below
                };
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
            DataProducer producer;
            try
            {
                producer = Build(current, configuration);
            }
            catch (InvalidOperationException ex)
            {
                return AsSent($"Bad option for {dataType}: {Simplify(ex)}", options);
            }
            catch (ArgumentException ex)
            {
                return AsSent($"Bad option for {dataType}: {ex.Message.Split(" (Parameter", 2)[0]}", options);
            }

            _api.UnregisterProducer(current.ProducerId);
            _api.RegisterProducer(producer);
            return null;
        }
    }

    public string? Reset(string dataType)
    {
        lock (_gate)
        {
            if (Find(dataType) is not { } current)
            {
                return $"Unknown data type '{dataType}' for reset.";
            }

            // Only loudness has a programme (integrated loudness, range, maxima) to start again.
            if (current is not LoudnessProducer loudness)
            {
                return $"The {dataType} analyzer has nothing to reset.";
            }

            loudness.ResetProgramme();
            return null;
        }
    }

    private DataProducer? Find(string dataType)
    {
        foreach (var producer in _api.Producers)
        {
            if (producer.GetDataType().Name == dataType)
            {
                return producer;
            }
        }

        return null;
    }

    private IEnumerable<string> Configurable()
    {
        foreach (var producer in _api.Producers)
        {
            if (IsConfigurable(producer))
            {
                yield return producer.GetDataType().Name;
            }
        }
    }

    /// <summary>A built-in analyzer's producer (its descriptor knows its options); an application's producer is not.</summary>
    private static bool IsConfigurable(DataProducer producer) =>
        BuiltInAnalyzers.Find(producer.GetDataType()) is { } analyzer && analyzer.OptionsOf(producer) is not null;

    /// <summary>A new producer of the same kind and id, from a copy of the current options with the changes bound on.</summary>
    private static DataProducer Build(DataProducer current, IConfiguration configuration)
    {
        if (BuiltInAnalyzers.Find(current.GetDataType()) is not { } analyzer || analyzer.OptionsOf(current) is not { } options)
        {
            throw new InvalidOperationException($"the {current.GetDataType().Name} analyzer cannot be configured live.");
        }

        configuration.Bind(options, static b => b.ErrorOnUnknownConfiguration = true);
        return analyzer.CreateProducer(options, current.ProducerId);
    }

    /// <summary>Names the options as the client wrote them (<c>window_seconds</c>), not as the options class does.</summary>
    private static string AsSent(string message, JsonElement options)
    {
        foreach (var property in options.EnumerateObject())
        {
            var pascal = PascalCase(property.Name);
            if (pascal != property.Name)
            {
                message = message.Replace(pascal, property.Name, StringComparison.Ordinal);
            }
        }

        return message;
    }

    /// <summary><c>fft_size</c> -> <c>FftSize</c>; names without underscores keep their letters and get a capital.</summary>
    internal static string PascalCase(string name)
    {
        var builder = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c is '_' or '-')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    private static string? EnumText(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "log" => "Logarithmic",
        "lin" => "Linear",
        _ => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? value : value.Replace("_", string.Empty, StringComparison.Ordinal),
    };

    private static string Simplify(InvalidOperationException ex)
    {
        // The binder says "Error: The configuration keys 'Foo' were not found on type ..." or "Failed to convert ...".
        var message = ex.InnerException?.Message ?? ex.Message;
        // "... the following properties were not found on the instance of <type>: 'FftSizes', 'Foo'"
        if (message.Contains("not found", StringComparison.Ordinal))
        {
            var colon = message.LastIndexOf(": ", StringComparison.Ordinal);
            var keys = colon >= 0 ? message[(colon + 2)..].Replace("'", string.Empty, StringComparison.Ordinal).Trim() : message;
            return $"unknown option(s) {keys}.";
        }

        return ex.Message.Contains("Failed to convert", StringComparison.Ordinal)
            ? ex.Message.Replace("Failed to convert configuration value", "cannot use the value", StringComparison.Ordinal)
            : message;
    }
}
