using System.Globalization;

namespace Friture.Streaming.Configuration;

/// <summary>
/// Reads the string options of a <see cref="ProtocolSettings"/> (<c>options.&lt;key&gt;</c>) for a protocol's
/// <c>FromSettings</c> factory: typed getters whose errors name the key and the value, and a final check that refuses
/// keys the protocol does not know.
/// </summary>
/// <remarks>Used by the MQTT and OSC packages; available to third-party protocols (see <c>docs/extending.md</c>).</remarks>
public sealed class ProtocolOptionReader
{
    private readonly IReadOnlyDictionary<string, string> _options;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Creates a reader over a settings entry's options.</summary>
    /// <param name="options">The options dictionary.</param>
    public ProtocolOptionReader(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>A string option, or null when absent or empty.</summary>
    /// <param name="key">The option key.</param>
    /// <returns>The value.</returns>
    public string? GetString(string key)
    {
        _used.Add(key);
        return _options.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;
    }

    /// <summary>A boolean option (true/false, 1/0, yes/no, on/off), or null when absent.</summary>
    /// <param name="key">The option key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The value is not a boolean; the message names the key and the value.</exception>
    public bool? GetBoolean(string key)
    {
        var text = GetString(key);
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

    /// <summary>An integer option, or null when absent.</summary>
    /// <param name="key">The option key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The value is not an integer; the message names the key and the value.</exception>
    public int? GetInt32(string key)
    {
        var text = GetString(key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"options.{key} is '{text}'; it must be an integer.");
    }

    /// <summary>A finite number option, or null when absent.</summary>
    /// <param name="key">The option key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The value is not a finite number; the message names the key and the value.</exception>
    public double? GetDouble(string key)
    {
        var text = GetString(key);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"options.{key} is '{text}'; it must be a number.");
    }

    /// <summary>Keys starting with <paramref name="prefix"/>, with the prefix removed, and their values as numbers.</summary>
    /// <param name="prefix">The key prefix, for example <c>rate.</c>.</param>
    /// <returns>The pairs.</returns>
    public IEnumerable<(string Name, double Value)> Prefixed(string prefix)
    {
        foreach (var key in _options.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            yield return (key[prefix.Length..], GetDouble(key)!.Value);
        }
    }

    /// <summary>Throws when a key was never read: a typo in a settings file is an error, not silently ignored.</summary>
    /// <param name="protocol">The protocol's name, for the message.</param>
    /// <param name="known">The keys the protocol understands, for the message.</param>
    /// <exception cref="ArgumentException">An unknown key is present.</exception>
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
