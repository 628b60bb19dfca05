using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Friture.Streaming.Reduction;
using Friture.Streaming.Serialization;
using Microsoft.AspNetCore.Http;

namespace Friture.Streaming.Server.Clients;

/// <summary>
/// Reads subscriptions from a query string (<c>types=a,b&amp;rate=10&amp;batch=1&amp;format=binary&amp;linger_ms=0&amp;fft_spectrum.points=256</c>)
/// and control messages (<c>{"action":"subscribe","types":["a","b"],"rate":10,"format":"binary","linger_ms":0,"resolution":{...}}</c>),
/// with error messages meant for the client.
/// </summary>
internal static class SubscriptionParser
{
    public const double MaxRateHz = 1000;

    /// <summary>Reads a whole query string: types, rate, batch (when allowed), format (binary when allowed) and resolution keys.</summary>
    public static bool TryParseQuery(IQueryCollection query, bool allowBatch, bool allowBinary, out ClientSubscription subscription, out string error)
    {
        if (!TryParseQuery(query["types"].ToString(), query["rate"].ToString(), allowBatch ? query["batch"].ToString() : null, out subscription, out error))
        {
            return false;
        }

        SerializationFormat? format = null;
        if (query["format"].ToString() is { Length: > 0 } formatText)
        {
            if (!TryParseFormat(formatText, allowBinary, out format, out error))
            {
                return false;
            }
        }

        var values = new List<(string Key, string Value)>();
        ResolutionRequest? resolution = null;
        foreach (var pair in query)
        {
            if (pair.Key == "resolution" || pair.Key.Contains('.', StringComparison.Ordinal))
            {
                values.Add((pair.Key, pair.Value.ToString()));
            }
        }

        if (values.Count > 0 && !ResolutionParser.TryParseQuery(values, out resolution, out error))
        {
            return false;
        }

        TimeSpan? linger = null;
        if (query["linger_ms"].ToString() is { Length: > 0 } lingerText)
        {
            if (!double.TryParse(lingerText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || !ValidLinger(ms))
            {
                error = LingerError(lingerText);
                return false;
            }

            linger = TimeSpan.FromMilliseconds(ms);
        }

        subscription = subscription with { Format = format, Resolution = resolution, Linger = linger };
        return true;
    }

    public static bool TryParseQuery(string? types, string? rate, string? batch, out ClientSubscription subscription, out string error)
    {
        subscription = ClientSubscription.All;
        var parsedTypes = ImmutableArray<DataType>.Empty;
        if (!string.IsNullOrWhiteSpace(types) && !TryParseTypes(types.Split(','), out parsedTypes, out error))
        {
            return false;
        }

        double parsedRate = 0;
        if (!string.IsNullOrWhiteSpace(rate) &&
            (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out parsedRate) || !ValidRate(parsedRate)))
        {
            error = RateError(rate);
            return false;
        }

        var parsedBatch = false;
        if (!string.IsNullOrWhiteSpace(batch) && !TryParseBool(batch, out parsedBatch))
        {
            error = $"batch is '{batch}'; it must be true, false, 1 or 0.";
            return false;
        }

        subscription = new ClientSubscription { Types = parsedTypes, RateHz = parsedRate, Batch = parsedBatch };
        error = string.Empty;
        return true;
    }

    public static bool TryParseControl(ReadOnlySpan<byte> utf8Json, out ControlMessage message, out string error)
    {
        message = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            error = $"The control message is not valid JSON: {ex.Message}";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("action", out var actionElement) || actionElement.ValueKind != JsonValueKind.String)
            {
                error = "A control message is a JSON object with a string 'action': subscribe, ping or auth.";
                return false;
            }

            var action = actionElement.GetString();
            switch (action)
            {
                case "ping":
                    message = new ControlMessage(ControlAction.Ping, null, null);
                    error = string.Empty;
                    return true;
                case "auth":
                    if (!root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
                    {
                        error = "An auth message needs a string 'token'.";
                        return false;
                    }

                    message = new ControlMessage(ControlAction.Auth, null, token.GetString());
                    error = string.Empty;
                    return true;
                case "subscribe":
                    if (!TryParseSubscribe(root, out var subscription, out error))
                    {
                        return false;
                    }

                    message = new ControlMessage(ControlAction.Subscribe, subscription, null);
                    return true;
                case "configure":
                case "reset":
                    if (!root.TryGetProperty("data_type", out var dataType) || dataType.ValueKind != JsonValueKind.String)
                    {
                        error = $"A {action} message needs a string 'data_type', for example {{\"action\":\"{action}\",\"data_type\":\"fft_spectrum\"}}.";
                        return false;
                    }

                    var options = default(JsonElement);
                    if (action == "configure" && (!root.TryGetProperty("options", out options) || options.ValueKind != JsonValueKind.Object))
                    {
                        error = "A configure message needs an 'options' object, for example {\"fft_size\":8192,\"window\":\"hann\"}.";
                        return false;
                    }

                    message = new ControlMessage(action == "configure" ? ControlAction.Configure : ControlAction.Reset, null, null)
                    {
                        DataType = dataType.GetString(),
                        Options = options.ValueKind == JsonValueKind.Object ? options.Clone() : default,
                    };
                    error = string.Empty;
                    return true;
                default:
                    error = $"Unknown action '{action}'; use subscribe, ping, auth, configure or reset.";
                    return false;
            }
        }
    }

    private static bool TryParseSubscribe(JsonElement root, out ClientSubscription subscription, out string error)
    {
        subscription = ClientSubscription.All;
        var types = ImmutableArray<DataType>.Empty;
        if (root.TryGetProperty("types", out var typesElement) && typesElement.ValueKind != JsonValueKind.Null)
        {
            string[] names;
            if (typesElement.ValueKind == JsonValueKind.String)
            {
                names = (typesElement.GetString() ?? string.Empty).Split(',');
            }
            else if (typesElement.ValueKind == JsonValueKind.Array)
            {
                names = new string[typesElement.GetArrayLength()];
                var i = 0;
                foreach (var item in typesElement.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        error = "'types' must be an array of data type names (strings) or a comma-separated string.";
                        return false;
                    }

                    names[i++] = item.GetString() ?? string.Empty;
                }
            }
            else
            {
                error = "'types' must be an array of data type names (strings) or a comma-separated string.";
                return false;
            }

            if (!TryParseTypes(names, out types, out error))
            {
                return false;
            }
        }

        double rate = 0;
        if (root.TryGetProperty("rate", out var rateElement) && rateElement.ValueKind != JsonValueKind.Null)
        {
            if (rateElement.ValueKind != JsonValueKind.Number || !rateElement.TryGetDouble(out rate) || !ValidRate(rate))
            {
                error = RateError(rateElement.GetRawText());
                return false;
            }
        }

        var batch = false;
        if (root.TryGetProperty("batch", out var batchElement) && batchElement.ValueKind != JsonValueKind.Null)
        {
            if (batchElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                error = "'batch' must be true or false.";
                return false;
            }

            batch = batchElement.GetBoolean();
        }

        SerializationFormat? format = null;
        if (root.TryGetProperty("format", out var formatElement) && formatElement.ValueKind != JsonValueKind.Null)
        {
            if (formatElement.ValueKind != JsonValueKind.String)
            {
                error = "'format' must be \"json\" or \"binary\".";
                return false;
            }

            if (!TryParseFormat(formatElement.GetString() ?? string.Empty, allowBinary: true, out format, out error))
            {
                return false;
            }
        }

        ResolutionRequest? resolution = null;
        if (root.TryGetProperty("resolution", out var resolutionElement) && resolutionElement.ValueKind != JsonValueKind.Null)
        {
            if (!ResolutionParser.TryParseJson(resolutionElement, out var parsed, out error))
            {
                return false;
            }

            resolution = parsed;
        }

        TimeSpan? linger = null;
        if (root.TryGetProperty("linger_ms", out var lingerElement) && lingerElement.ValueKind != JsonValueKind.Null)
        {
            if (lingerElement.ValueKind != JsonValueKind.Number || !lingerElement.TryGetDouble(out var ms) || !ValidLinger(ms))
            {
                error = LingerError(lingerElement.GetRawText());
                return false;
            }

            linger = TimeSpan.FromMilliseconds(ms);
        }

        subscription = new ClientSubscription { Types = types, RateHz = rate, Batch = batch, Format = format, Resolution = resolution, Linger = linger };
        error = string.Empty;
        return true;
    }

    private static bool TryParseFormat(string text, bool allowBinary, out SerializationFormat? format, out string error)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "JSON":
                format = SerializationFormat.Json;
                error = string.Empty;
                return true;
            case "BINARY" when allowBinary:
                format = SerializationFormat.Binary;
                error = string.Empty;
                return true;
            case "BINARY":
                format = null;
                error = "format is 'binary', but this endpoint carries text only; use format=json (or the WebSocket endpoint for binary frames).";
                return false;
            default:
                format = null;
                error = $"format is '{text}'; it must be json or binary.";
                return false;
        }
    }

    private static bool TryParseTypes(string[] names, out ImmutableArray<DataType> types, out string error)
    {
        var builder = ImmutableArray.CreateBuilder<DataType>(names.Length);
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!DataType.TryParse(name, out var dataType))
            {
                types = [];
                error = $"Unknown data type '{name}'. Known data types: {string.Join(", ", DataType.All.Select(static t => t.Name))}.";
                return false;
            }

            if (!builder.Contains(dataType))
            {
                builder.Add(dataType);
            }
        }

        types = builder.DrainToImmutable();
        error = string.Empty;
        return true;
    }

    private static bool ValidRate(double rate) => double.IsFinite(rate) && rate >= 0 && rate <= MaxRateHz;

    private static string RateError(string rate) =>
        $"rate is {rate}; it must be a number of messages per second between 0 (every message) and {MaxRateHz}.";

    private static bool ValidLinger(double ms) => double.IsFinite(ms) && ms >= 0 && ms <= ProtocolOptions.MaxLinger.TotalMilliseconds;

    private static string LingerError(string text) =>
        $"linger_ms is {text}; it must be a number of milliseconds between 0 (send each audio block's messages at once) and {ProtocolOptions.MaxLinger.TotalMilliseconds}.";

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "1":
            case "TRUE":
                value = true;
                return true;
            case "0":
            case "FALSE":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
