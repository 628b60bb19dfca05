using System.Text.Json.Serialization;

namespace Friture.Streaming.Configuration;

/// <summary>Source-generated JSON for settings files: snake_case keys, indented, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(StreamingSettings))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext
{
}
