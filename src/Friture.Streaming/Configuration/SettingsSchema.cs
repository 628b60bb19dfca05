using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>
/// The one schema of settings files, appsettings sections and command-line flags: checks a configuration tree against
/// an options type and writes the keys the configuration binder understands.
/// </summary>
/// <remarks>
/// The schema is the options types themselves: a key is a public property's <see cref="ConfigurationKeyNameAttribute"/>
/// name or its property name, matched without case and with underscores ignored (so <c>fft_size</c> and
/// <c>FftSize</c> are the same key). Every problem is collected (unknown keys, values of the wrong type, unknown
/// protocol kinds), each with its JSON path; nothing stops at the first one. The checked tree is then handed to the
/// configuration binder, so binding never meets a key or value it cannot take. Protocol entries
/// (<see cref="ProtocolSettings"/>) are read with the <see cref="ProtocolKind"/> their <c>kind</c> names: its options
/// type is the schema of the entry's <c>options</c> section.
/// </remarks>
internal static class SettingsSchema
{
    private const DynamicallyAccessedMemberTypes Members =
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    private const string TrimJustification =
        "Settings types are bound by the configuration binder as well, which keeps their public properties.";

    /// <summary>Checks <paramref name="section"/> against <paramref name="type"/>.</summary>
    /// <param name="section">The configuration tree (a settings file, an appsettings section, flags).</param>
    /// <param name="type">The options type.</param>
    /// <param name="kinds">The protocol kinds known for <c>protocols[]</c> entries; null: protocol options are not checked.</param>
    /// <param name="problems">Receives every problem, each with its path.</param>
    /// <returns>The canonical tree: flat binder keys and values, ready for <c>AddInMemoryCollection</c>.</returns>
    public static Dictionary<string, string?> Check(
        IConfiguration section,
        [DynamicallyAccessedMembers(Members)] Type type,
        ProtocolKindSet? kinds,
        List<string> problems)
    {
        var output = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        new Walker(kinds, problems, output).Object(section, type, path: string.Empty, canonical: string.Empty);
        return output;
    }

    /// <summary>Binds a canonical tree (from <see cref="Check"/>) with the configuration binder.</summary>
    /// <param name="canonical">The canonical keys.</param>
    /// <returns>The configuration.</returns>
    public static IConfigurationRoot ToConfiguration(Dictionary<string, string?> canonical) =>
        new ConfigurationBuilder().AddInMemoryCollection(canonical).Build();

    /// <summary>The user-facing key of a property: its configuration key name, else its name in snake_case.</summary>
    /// <param name="property">The property.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? SnakeCase(property.Name);

    /// <summary>The user-facing key of the property <paramref name="name"/> of <paramref name="type"/>, or the name in snake_case.</summary>
    /// <param name="type">The options type.</param>
    /// <param name="name">The property name (for example an exception's parameter name).</param>
    /// <returns>The key.</returns>
    public static string KeyOf([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, string name) =>
        type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is { } property ? KeyOf(property) : SnakeCase(name);

    /// <summary><c>FftSize</c> becomes <c>fft_size</c>.</summary>
    /// <param name="name">A PascalCase name.</param>
    /// <returns>The snake_case name.</returns>
    public static string SnakeCase(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>
    /// The message of an options type's validation exception with the property name replaced by the setting's path
    /// (<c>QualityOfService is 3; ...</c> becomes <c>protocols[0].options.qos is 3; ...</c>).
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="type">The options type that threw.</param>
    /// <param name="path">The path of the options object, or empty.</param>
    /// <returns>The message.</returns>
    public static string Rename(ArgumentException exception, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, string path)
    {
        var message = exception.Message.Split(" (Parameter", 2)[0];
        var name = exception.ParamName;
        if (string.IsNullOrEmpty(name) || !message.StartsWith(name, StringComparison.Ordinal) || type.GetProperty(name) is not { } property)
        {
            return path.Length == 0 || message.StartsWith(path, StringComparison.Ordinal) ? message : $"{path}: {message}";
        }

        var key = path.Length == 0 ? KeyOf(property) : $"{path}.{KeyOf(property)}";
        return key + message[name.Length..];
    }

    /// <summary>
    /// The keys of <paramref name="type"/>: its bindable properties, with a <see cref="StreamingSettings"/> property's
    /// own keys in its place (so a host's section holds <c>rate_limits</c> beside <c>input</c>), each with the binder
    /// key prefix that reaches it.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = TrimJustification)]
    internal static IEnumerable<(PropertyInfo Property, string Prefix)> Keys(Type type)
    {
        foreach (var property in Bindable(type))
        {
            if (property.PropertyType == typeof(StreamingSettings))
            {
                var prefix = (property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name) + ":";
                foreach (var inner in Bindable(typeof(StreamingSettings)))
                {
                    yield return (inner, prefix);
                }

                continue;
            }

            yield return (property, string.Empty);
        }
    }

    internal static string Normalize(string key) => key.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    internal static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(double) || type == typeof(decimal)
            || type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(Reduction.ResolutionRequest);
    }

    /// <summary>Public instance properties the binder can fill: writable, or a get-only collection or object.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = TrimJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimJustification)]
    internal static IEnumerable<PropertyInfo> Bindable(Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true })
            {
                continue;
            }

            var shape = ShapeOf(property.PropertyType);
            if (shape == Shape.None || (shape == Shape.Scalar && property.SetMethod is not { IsPublic: true }))
            {
                continue;
            }

            if (shape == Shape.Object && property.SetMethod is not { IsPublic: true } && property.PropertyType != typeof(object))
            {
                // A get-only object is filled in place.
            }

            yield return property;
        }
    }

    internal enum Shape
    {
        None,
        Scalar,
        Object,
        Dictionary,
        List,
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimJustification)]
    internal static Shape ShapeOf(Type type)
    {
        if (IsScalar(type))
        {
            return Shape.Scalar;
        }

        if (type == typeof(object))
        {
            // ProtocolSettings.Options: read through the entry's protocol kind.
            return Shape.Object;
        }

        if (DictionaryValue(type) is not null)
        {
            return Shape.Dictionary;
        }

        if (ListItem(type) is not null)
        {
            return Shape.List;
        }

        if (type.IsInterface || type.IsAbstract || type.IsPointer || typeof(Delegate).IsAssignableFrom(type)
            || (type.Namespace?.StartsWith("System", StringComparison.Ordinal) ?? false)
            || (type.Namespace?.StartsWith("Microsoft", StringComparison.Ordinal) ?? false)
            || type.GetConstructor(Type.EmptyTypes) is null)
        {
            return Shape.None;
        }

        return Shape.Object;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimJustification)]
    internal static Type? DictionaryValue(Type type)
    {
        foreach (var candidate in type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces())
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>)
                && candidate.GetGenericArguments()[0] == typeof(string))
            {
                return candidate.GetGenericArguments()[1];
            }
        }

        return null;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimJustification)]
    internal static Type? ListItem(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        foreach (var candidate in type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces())
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IList<>))
            {
                return candidate.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private sealed class Walker(ProtocolKindSet? kinds, List<string> problems, Dictionary<string, string?> output)
    {
        [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = TrimJustification)]
        [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = TrimJustification)]
        public void Object(IConfiguration section, [DynamicallyAccessedMembers(Members)] Type type, string path, string canonical)
        {
            var properties = new Dictionary<string, (PropertyInfo Property, string Prefix)>(StringComparer.Ordinal);
            foreach (var (property, prefix) in Keys(type))
            {
                properties.TryAdd(Normalize(property.Name), (property, prefix));
                if (property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name is { } keyName)
                {
                    properties[Normalize(keyName)] = (property, prefix);
                }
            }

            foreach (var child in section.GetChildren())
            {
                var childPath = Join(path, child.Key);
                if (!properties.TryGetValue(Normalize(child.Key), out var found))
                {
                    var known = Keys(type).Select(static k => KeyOf(k.Property)).Distinct(StringComparer.Ordinal);
                    problems.Add($"{childPath} is not a setting{(path.Length == 0 ? string.Empty : $" of {path}")}; known keys: {string.Join(", ", known)}.");
                    continue;
                }

                var property = found.Property;
                var binderKey = found.Prefix + (property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name);
                var childCanonical = canonical.Length == 0 ? binderKey : $"{canonical}:{binderKey}";
                if (property.DeclaringType == typeof(ProtocolSettings) && property.Name == nameof(ProtocolSettings.Options))
                {
                    // Read with the entry's kind, by ProtocolEntry.
                    continue;
                }

                Value(child, property.PropertyType, childPath, childCanonical);
            }
        }

        [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = TrimJustification)]
        [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = TrimJustification)]
        [UnconditionalSuppressMessage("Trimming", "IL2062", Justification = TrimJustification)]
        private void Value(IConfigurationSection section, Type type, string path, string canonical)
        {
            var hasChildren = section.GetChildren().Any();
            var value = section.Value;
            switch (ShapeOf(type))
            {
                case Shape.Scalar:
                    if (hasChildren)
                    {
                        problems.Add($"{path} must be a single value ({Describe(type)}), not an object or a list.");
                    }
                    else if (!string.IsNullOrEmpty(value) && Convert(value, type, path) is { } converted)
                    {
                        output[canonical] = converted;
                    }

                    return;
                case Shape.Dictionary:
                    if (!hasChildren)
                    {
                        NotEmpty(value, path, "an object");
                        return;
                    }

                    var valueType = DictionaryValue(type)!;
                    foreach (var child in section.GetChildren())
                    {
                        Value(child, valueType, $"{path}.{child.Key}", $"{canonical}:{child.Key}");
                    }

                    return;
                case Shape.List:
                    if (!hasChildren)
                    {
                        NotEmpty(value, path, "a list");
                        return;
                    }

                    List(section, ListItem(type)!, path, canonical);
                    return;
                default:
                    if (!hasChildren)
                    {
                        NotEmpty(value, path, "an object");
                        return;
                    }

                    Object(section, type, path, canonical);
                    return;
            }
        }

        [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = TrimJustification)]
        private void List(IConfigurationSection section, Type itemType, string path, string canonical)
        {
            var children = section.GetChildren().ToList();
            var index = 0;
            if (itemType == typeof(ProtocolSettings) && children.Any(static c => !int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                // "protocols": { "tcp": { ... } }: one entry per kind, the key naming it.
                foreach (var child in children)
                {
                    ProtocolEntry(child, $"{path}.{child.Key}", $"{canonical}:{index++}", impliedKind: child.Key);
                }

                return;
            }

            foreach (var child in children.OrderBy(static c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue))
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{path} must be a list; '{child.Key}' is a key.");
                    continue;
                }

                var itemPath = $"{path}[{child.Key}]";
                var itemCanonical = $"{canonical}:{index++}";
                if (itemType == typeof(ProtocolSettings))
                {
                    ProtocolEntry(child, itemPath, itemCanonical, impliedKind: null);
                }
                else
                {
                    Value(child, itemType, itemPath, itemCanonical);
                }
            }
        }

        private void ProtocolEntry(IConfigurationSection section, string path, string canonical, string? impliedKind)
        {
            if (!section.GetChildren().Any())
            {
                NotEmpty(section.Value, path, "an object");
                return;
            }

            Object(section, typeof(ProtocolSettings), path, canonical);
            var kindName = section["kind"] ?? impliedKind;
            if (impliedKind is not null)
            {
                if (section["kind"] is { } stated && !string.Equals(stated, impliedKind, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{path}.kind is '{stated}' under the key '{impliedKind}'; leave kind out or make them the same.");
                }

                output[$"{canonical}:kind"] = impliedKind;
            }

            ProtocolKind? kind = null;
            if (string.IsNullOrWhiteSpace(kindName))
            {
                problems.Add($"{path}.kind is missing; name the protocol ({KnownKinds()}).");
            }
            else if (kinds is not null && !kinds.TryGet(kindName, out kind))
            {
                problems.Add($"{path}.kind is '{kindName}', which is not a protocol kind; known: {KnownKinds()}.");
            }

            var options = section.GetChildren().FirstOrDefault(static c => Normalize(c.Key) == "OPTIONS");
            if (options is null)
            {
                return;
            }

            var optionsCanonical = $"{canonical}:options";
            if (kind is null)
            {
                if (kinds is null)
                {
                    // No kinds known here (the core alone): keep the section as it is for whoever creates the protocol.
                    Copy(options, optionsCanonical);
                }

                return;
            }

            if (!options.GetChildren().Any())
            {
                NotEmpty(options.Value, $"{path}.options", "an object");
                return;
            }

            Object(options, kind.OptionsType, $"{path}.options", optionsCanonical);
        }

        private void Copy(IConfigurationSection section, string canonical)
        {
            if (section.Value is { } value)
            {
                output[canonical] = value;
            }

            foreach (var child in section.GetChildren())
            {
                Copy(child, $"{canonical}:{child.Key}");
            }
        }

        private string KnownKinds() => kinds is null ? "websocket, sse, tcp, udp, mqtt, osc, ..." : string.Join(", ", kinds.Names);

        private void NotEmpty(string? value, string path, string what)
        {
            if (!string.IsNullOrEmpty(value))
            {
                problems.Add($"{path} is '{value}'; it must be {what}.");
            }
        }

        private string? Convert(string value, Type type, string path)
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            var invariant = CultureInfo.InvariantCulture;
            bool ok;
            if (target == typeof(string) || target == typeof(Uri))
            {
                return value;
            }

            if (target == typeof(bool))
            {
                ok = bool.TryParse(value, out _);
            }
            else if (target == typeof(int) || target == typeof(long) || target == typeof(short) || target == typeof(byte))
            {
                ok = long.TryParse(value, NumberStyles.Integer, invariant, out var n)
                    && (target != typeof(int) || n is >= int.MinValue and <= int.MaxValue)
                    && (target != typeof(short) || n is >= short.MinValue and <= short.MaxValue)
                    && (target != typeof(byte) || n is >= 0 and <= 255);
            }
            else if (target == typeof(double) || target == typeof(float) || target == typeof(decimal))
            {
                ok = double.TryParse(value, NumberStyles.Float, invariant, out _);
            }
            else if (target == typeof(TimeSpan))
            {
                ok = TimeSpan.TryParse(value, invariant, out _);
            }
            else if (target.IsEnum)
            {
                return EnumValue(value, target, path);
            }
            else if (target == typeof(Reduction.ResolutionRequest))
            {
                // Written as text (network, full, or fft_spectrum.points=256,scope.points=512); set after binding.
                if (!Reduction.ResolutionParser.TryParseText(value, out _, out var error))
                {
                    // "resolution is 'x'; it must be ..." names the key already: put the whole path in its place.
                    problems.Add(error.StartsWith("resolution ", StringComparison.Ordinal) ? path + error["resolution".Length..] : $"{path}: {error}");
                    return null;
                }

                return value;
            }
            else
            {
                ok = true;
            }

            if (!ok)
            {
                problems.Add($"{path} is '{value}'; it must be {Describe(type)}.");
                return null;
            }

            return value;
        }

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimJustification)]
        private string? EnumValue(string value, Type type, string path)
        {
            var names = Enum.GetNames(type);
            foreach (var name in names)
            {
                if (Normalize(name) == Normalize(value))
                {
                    return name;
                }
            }

            if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                foreach (var defined in Enum.GetValuesAsUnderlyingType(type))
                {
                    if (System.Convert.ToInt64(defined, CultureInfo.InvariantCulture) == number)
                    {
                        return value;
                    }
                }
            }

            problems.Add($"{path} is {(number.ToString(CultureInfo.InvariantCulture) == value ? value : $"'{value}'")}; it must be one of {string.Join(", ", names.Select(SnakeCase))}.");
            return null;
        }

        private static string Describe(Type type)
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (target == typeof(bool))
            {
                return "true or false";
            }

            if (target == typeof(int) || target == typeof(long) || target == typeof(short) || target == typeof(byte))
            {
                return "an integer";
            }

            if (target == typeof(double) || target == typeof(float) || target == typeof(decimal))
            {
                return "a number";
            }

            return target == typeof(TimeSpan) ? "a duration such as 00:00:05 or 00:00:00.250" : "a value";
        }

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
    }
}
