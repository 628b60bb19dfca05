using System.Globalization;

namespace Friture.Streaming.Mqtt;

/// <summary>Reads the string options of a <c>ProtocolSettings</c>, naming the key and value in every error and refusing unknown keys.</summary>
internal sealed class OptionReader
{
    private readonly Dictionary<string, string> _options;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public OptionReader(Dictionary<string, string> options) => _options = options;

    public string? String(string key)
    {
        _used.Add(key);
        return _options.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return text.ToUpperInvariant() switch
        {
            "TRUE" or "1" or "YES" or "ON" => true,
            "FALSE" or "0" or "NO" or "OFF" => false,
            _ => throw new ArgumentException($"options.{key} is '{text}'; it must be true or false."),
        };
    }

    public int? Int(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"options.{key} is '{text}'; it must be an integer.");
    }

    public double? Double(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"options.{key} is '{text}'; it must be a number.");
    }

    /// <summary>Keys starting with <paramref name="prefix"/>, with the prefix removed, and their values as numbers.</summary>
    public IEnumerable<(string Name, double Value)> Prefixed(string prefix)
    {
        foreach (var key in _options.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            yield return (key[prefix.Length..], Double(key)!.Value);
        }
    }

    /// <summary>Throws when a key was never read.</summary>
    public void ThrowOnUnknown(string protocol, IEnumerable<string> known)
    {
        foreach (var key in _options.Keys)
        {
            if (!_used.Contains(key))
            {
                throw new ArgumentException($"options.{key} is not an option of {protocol}. Known options: {string.Join(", ", known)}.");
            }
        }
    }
}
