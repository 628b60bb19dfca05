using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Friture.Streaming.Configuration;

/// <summary>
/// Writes an options graph as settings JSON in the schema <see cref="SettingsSchema"/> reads: snake_case keys, nulls
/// left out, and inside protocol <c>options</c> only the values that differ from the options type's defaults.
/// </summary>
internal static class SettingsWriter

{
    private const string TrimJustification = "Settings types are bound by the configuration binder as well, which keeps their public properties.";

    /// <summary>Writes <paramref name="settings"/> to <paramref name="path"/>, readable by its owner only (it may hold tokens).</summary>
    /// <param name="settings">The options graph.</param>
    /// <param name="path">The file; its directory is created when missing.</param>
    public static void Save(object settings, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options);
        writer.Write(Write(settings));
        writer.WriteLine();
    }

    public static string Write(object settings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteObject(writer, settings, DefaultsOf(settings));
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = TrimJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimJustification)]
    private static void WriteObject(Utf8JsonWriter writer, object value, object? defaults)
    {
        writer.WriteStartObject();
        WriteProperties(writer, value, defaults);
        writer.WriteEndObject();
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = TrimJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimJustification)]
    private static void WriteProperties(Utf8JsonWriter writer, object value, object? defaults)
    {
        foreach (var property in SettingsSchema.Bindable(value.GetType()))
        {
            var current = property.GetValue(value);
            if (current is StreamingSettings inline)
            {
                // A host's options hold the settings' keys at their own level.
                WriteProperties(writer, inline, defaults: null);
                continue;
            }

            if (value is Protocols.StreamingProtocolOptions common && property.Name == nameof(Protocols.StreamingProtocolOptions.Resolution))
            {
                // A protocol's own resolution is written even when it is the default (it overrides the global one);
                // an inherited one is not: the settings' global resolution is written once, at the top.
                if (common.IsResolutionSet)
                {
                    writer.WritePropertyName(SettingsSchema.KeyOf(property));
                    WriteValue(writer, common.Resolution);
                }

                continue;
            }

            if (current is null || (defaults is not null && SameScalar(current, property.GetValue(defaults))))
            {
                continue;
            }

            writer.WritePropertyName(SettingsSchema.KeyOf(property));
            WriteValue(writer, current);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteStringValue(text);
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            case Enum e:
                writer.WriteStringValue(SettingsSchema.SnakeCase(e.ToString()));
                return;
            case TimeSpan span:
                writer.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture));
                return;
            case Uri uri:
                writer.WriteStringValue(uri.ToString());
                return;
            case Reduction.ResolutionRequest resolution:
                writer.WriteStringValue(Reduction.ResolutionParser.Format(resolution));
                return;
            case int or long or short or byte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case double or float or decimal:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Value is not null)
                    {
                        writer.WritePropertyName((string)entry.Key);
                        WriteValue(writer, entry.Value);
                    }
                }

                writer.WriteEndObject();
                return;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    if (item is not null)
                    {
                        WriteValue(writer, item);
                    }
                }

                writer.WriteEndArray();
                return;
            default:
                WriteObject(writer, value, DefaultsOf(value));
                return;
        }
    }

    /// <summary>A new instance of the value's type, to leave out values that are the defaults.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimJustification)]
    private static object? DefaultsOf(object value) => value.GetType().GetConstructor(Type.EmptyTypes)?.Invoke(null);

    private static bool SameScalar(object current, object? initial)
    {
        if (SettingsSchema.IsScalar(current.GetType()))
        {
            return Equals(current, initial);
        }

        // Collections and objects: the same when both are empty.
        return current is ICollection { Count: 0 } && initial is ICollection { Count: 0 };
    }
}
