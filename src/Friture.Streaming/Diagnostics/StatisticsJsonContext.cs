using System.Text.Json.Serialization;

namespace Friture.Streaming.Diagnostics;

/// <summary>Source-generated JSON metadata of <see cref="StreamingStatistics"/>: snake_case names, nulls written, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(StreamingStatistics))]
internal sealed partial class StatisticsJsonContext : JsonSerializerContext
{
}
