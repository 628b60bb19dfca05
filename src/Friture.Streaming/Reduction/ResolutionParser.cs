using System.Globalization;
using System.Text.Json;

namespace Friture.Streaming.Reduction;

/// <summary>
/// Reads a <see cref="ResolutionRequest"/> from query keys (<c>resolution=full</c>, <c>fft_spectrum.points=256</c>,
/// <c>fft_spectrum.fmin=20</c>, <c>fft_spectrum.fmax=20000</c>, <c>fft_spectrum.scale=log</c>, the same for
/// <c>spectrogram.*</c>, <c>scope.points=512</c>, <c>octave_spectrum.fmin/fmax</c>) or from the <c>"resolution"</c>
/// member of a subscribe message. Absent keys keep the network defaults; <c>points=full</c> (or 0) sends that type
/// at full resolution.
/// </summary>
internal static class ResolutionParser
{
    private const string Keys =
        "fft_spectrum.(points|fmin|fmax|scale), spectrogram.(points|fmin|fmax|scale), scope.points, octave_spectrum.(fmin|fmax), <type>=full, resolution=full";

    /// <summary>
    /// Reads the text form used by settings files and <c>--resolution</c>: <c>network</c> (or <c>default</c>),
    /// <c>full</c>, or query keys separated by <c>,</c> or <c>&amp;</c>, for example
    /// <c>fft_spectrum.points=256,scope.points=512,octave_spectrum=full</c> (on top of the network defaults).
    /// </summary>
    public static bool TryParseText(string? text, out ResolutionRequest request, out string error)
    {
        request = ResolutionRequest.NetworkDefault;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = "resolution is empty; it must be network, full, or keys such as fft_spectrum.points=256,scope.points=512.";
            return false;
        }

        if (!trimmed.Contains('=', StringComparison.Ordinal))
        {
            switch (trimmed.ToUpperInvariant())
            {
                case "FULL":
                    request = ResolutionRequest.Full;
                    error = string.Empty;
                    return true;
                case "NETWORK" or "DEFAULT":
                    error = string.Empty;
                    return true;
                default:
                    error = $"resolution is '{trimmed}'; it must be network, full, or keys such as fft_spectrum.points=256,scope.points=512 ({Keys}).";
                    return false;
            }
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var item in trimmed.Split([',', '&'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"resolution item '{item}' is not key=value; the keys are {Keys}.";
                return false;
            }

            var key = item[..eq].Trim();
            if (!key.Contains('.', StringComparison.Ordinal) && key != "resolution" && !IsResolutionType(key))
            {
                error = $"'{key}' is not a resolution key; the keys are {Keys}.";
                return false;
            }

            pairs.Add((key, item[(eq + 1)..].Trim()));
        }

        if (!TryParseQuery(pairs, out request, out error))
        {
            return false;
        }

        foreach (var (key, _) in pairs)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && !IsResolutionType(key[..dot]))
            {
                error = $"'{key}' is not a resolution key; the keys are {Keys}.";
                return false;
            }
        }

        return true;
    }

    /// <summary>The text form <see cref="TryParseText"/> reads back to an equal request.</summary>
    public static string Format(ResolutionRequest request)
    {
        if (request.Equals(ResolutionRequest.NetworkDefault))
        {
            return "network";
        }

        if (request.IsFull)
        {
            return "full";
        }

        var parts = new List<string>();
        void Spectrum(string type, SpectrumResolution? spectrum)
        {
            if (spectrum is null)
            {
                parts.Add($"{type}=full");
                return;
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{type}.points={spectrum.Points}"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{type}.fmin={spectrum.MinFrequencyHz:R}"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{type}.fmax={spectrum.MaxFrequencyHz:R}"));
            parts.Add($"{type}.scale={(spectrum.Scale == SpectrumScale.Linear ? "linear" : "log")}");
        }

        Spectrum("fft_spectrum", request.FftSpectrum);
        Spectrum("spectrogram", request.Spectrogram);
        parts.Add(request.Scope is { } scope ? string.Create(CultureInfo.InvariantCulture, $"scope.points={scope.Points}") : "scope=full");
        if (request.OctaveSpectrum is { } octave)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"octave_spectrum.fmin={octave.MinFrequencyHz:R}"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"octave_spectrum.fmax={octave.MaxFrequencyHz:R}"));
        }
        else
        {
            parts.Add("octave_spectrum=full");
        }

        return string.Join(",", parts);
    }

    public static bool TryParseQuery(IReadOnlyList<(string Key, string Value)> values, out ResolutionRequest request, out string error)
    {
        request = ResolutionRequest.NetworkDefault;
        var builder = new Builder(ResolutionRequest.NetworkDefault);
        foreach (var (key, value) in values)
        {
            if (key == "resolution")
            {
                switch (value.Trim().ToUpperInvariant())
                {
                    case "FULL":
                        builder = new Builder(ResolutionRequest.Full);
                        continue;
                    case "DEFAULT":
                        continue;
                    default:
                        error = $"resolution is '{value}'; it must be full or default (or leave it out and use per-type keys: {Keys}).";
                        return false;
                }
            }
        }

        foreach (var (key, value) in values)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0)
            {
                if (IsResolutionType(key))
                {
                    if (!value.Trim().Equals("full", StringComparison.OrdinalIgnoreCase))
                    {
                        error = $"{key} is '{value}'; as a key of its own it can only be full (per-type keys: {Keys}).";
                        return false;
                    }

                    builder.SetFull(key);
                }

                continue;
            }

            var type = key[..dot];
            if (!IsResolutionType(type))
            {
                // Not ours (another data type's key is an error; an unrelated dotted key is left to the application).
                if (DataType.TryParse(type, out _))
                {
                    error = $"'{key}' is not a resolution key; the keys are {Keys}.";
                    return false;
                }

                continue;
            }

            if (!builder.Apply(type, key[(dot + 1)..], value, out error))
            {
                return false;
            }
        }

        return builder.TryBuild(out request, out error);
    }

    public static bool TryParseJson(JsonElement element, out ResolutionRequest request, out string error)
    {
        request = ResolutionRequest.NetworkDefault;
        if (element.ValueKind == JsonValueKind.String)
        {
            switch (element.GetString()?.ToUpperInvariant())
            {
                case "FULL":
                    request = ResolutionRequest.Full;
                    error = string.Empty;
                    return true;
                case "DEFAULT":
                    error = string.Empty;
                    return true;
            }
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "'resolution' must be \"full\", \"default\" or an object such as {\"fft_spectrum\":{\"points\":256,\"fmin\":20,\"fmax\":20000,\"scale\":\"log\"},\"scope\":{\"points\":512}}.";
            return false;
        }

        var builder = new Builder(ResolutionRequest.NetworkDefault);
        foreach (var type in element.EnumerateObject())
        {
            if (!IsResolutionType(type.Name))
            {
                error = $"'resolution.{type.Name}' is not a resolution type; use fft_spectrum, spectrogram, scope or octave_spectrum.";
                return false;
            }

            if (type.Value.ValueKind == JsonValueKind.Null ||
                (type.Value.ValueKind == JsonValueKind.String && string.Equals(type.Value.GetString(), "full", StringComparison.OrdinalIgnoreCase)))
            {
                builder.SetFull(type.Name);
                continue;
            }

            if (type.Value.ValueKind != JsonValueKind.Object)
            {
                error = $"'resolution.{type.Name}' must be an object (for example {{\"points\":256}}) or \"full\".";
                return false;
            }

            foreach (var member in type.Value.EnumerateObject())
            {
                var text = member.Value.ValueKind switch
                {
                    JsonValueKind.String => member.Value.GetString() ?? string.Empty,
                    JsonValueKind.Number => member.Value.GetRawText(),
                    _ => null,
                };
                if (text is null)
                {
                    error = $"'resolution.{type.Name}.{member.Name}' must be a number or a string.";
                    return false;
                }

                if (!builder.Apply(type.Name, member.Name, text, out error))
                {
                    return false;
                }
            }
        }

        return builder.TryBuild(out request, out error);
    }

    private static bool IsResolutionType(string name) => name is "fft_spectrum" or "spectrogram" or "scope" or "octave_spectrum";

    private sealed class Builder(ResolutionRequest start)
    {
        private SpectrumResolution? _fft = start.FftSpectrum;
        private SpectrumResolution? _spectrogram = start.Spectrogram;
        private ScopeResolution? _scope = start.Scope;
        private OctaveResolution? _octave = start.OctaveSpectrum;

        public void SetFull(string type)
        {
            switch (type)
            {
                case "fft_spectrum":
                    _fft = null;
                    break;
                case "spectrogram":
                    _spectrogram = null;
                    break;
                case "scope":
                    _scope = null;
                    break;
                default:
                    _octave = null;
                    break;
            }
        }

        public bool Apply(string type, string key, string value, out string error)
        {
            var name = $"{type}.{key}";
            var full = value.Trim().Equals("full", StringComparison.OrdinalIgnoreCase) || value.Trim() == "0";
            switch (type, key)
            {
                case ("fft_spectrum" or "spectrogram", "points") when full:
                case ("scope", "points") when full:
                    SetFull(type);
                    error = string.Empty;
                    return true;
                case ("fft_spectrum" or "spectrogram", "points" or "fmin" or "fmax" or "scale"):
                    var spectrum = (type == "fft_spectrum" ? _fft : _spectrogram) ?? new SpectrumResolution();
                    if (!TryApplySpectrum(spectrum, name, key, value, out spectrum, out error))
                    {
                        return false;
                    }

                    if (type == "fft_spectrum")
                    {
                        _fft = spectrum;
                    }
                    else
                    {
                        _spectrogram = spectrum;
                    }

                    return true;
                case ("scope", "points"):
                    if (!TryInt(name, value, out var points, out error))
                    {
                        return false;
                    }

                    _scope = new ScopeResolution { Points = points };
                    return true;
                case ("octave_spectrum", "fmin" or "fmax"):
                    if (!TryDouble(name, value, out var hz, out error))
                    {
                        return false;
                    }

                    var octave = _octave ?? new OctaveResolution();
                    _octave = key == "fmin" ? octave with { MinFrequencyHz = hz } : octave with { MaxFrequencyHz = hz };
                    return true;
                default:
                    error = $"'{name}' is not a resolution key; the keys are {Keys}.";
                    return false;
            }
        }

        public bool TryBuild(out ResolutionRequest request, out string error)
        {
            request = new ResolutionRequest { FftSpectrum = _fft, Spectrogram = _spectrogram, Scope = _scope, OctaveSpectrum = _octave };
            if (request.Equals(ResolutionRequest.NetworkDefault))
            {
                request = ResolutionRequest.NetworkDefault;
            }
            else if (request.IsFull)
            {
                request = ResolutionRequest.Full;
            }

            error = request.Validate() ?? string.Empty;
            return error.Length == 0;
        }

        private static bool TryApplySpectrum(SpectrumResolution current, string name, string key, string value, out SpectrumResolution result, out string error)
        {
            result = current;
            switch (key)
            {
                case "points":
                    if (!TryInt(name, value, out var points, out error))
                    {
                        return false;
                    }

                    result = current with { Points = points };
                    return true;
                case "fmin":
                case "fmax":
                    if (!TryDouble(name, value, out var hz, out error))
                    {
                        return false;
                    }

                    result = key == "fmin" ? current with { MinFrequencyHz = hz } : current with { MaxFrequencyHz = hz };
                    return true;
                default:
                    switch (value.Trim().ToUpperInvariant())
                    {
                        case "LOG":
                            result = current with { Scale = SpectrumScale.Log };
                            break;
                        case "LINEAR":
                            result = current with { Scale = SpectrumScale.Linear };
                            break;
                        default:
                            error = $"{name} is '{value}'; it must be log or linear.";
                            return false;
                    }

                    error = string.Empty;
                    return true;
            }
        }

        private static bool TryInt(string name, string value, out int result, out string error)
        {
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result))
            {
                error = string.Empty;
                return true;
            }

            error = $"{name} is '{value}'; it must be a whole number of points (or full).";
            return false;
        }

        private static bool TryDouble(string name, string value, out double result, out string error)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result) && double.IsFinite(result))
            {
                error = string.Empty;
                return true;
            }

            error = $"{name} is '{value}'; it must be a frequency in Hz.";
            return false;
        }
    }
}
