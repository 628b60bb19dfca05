using System.Text.Json.Serialization;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization;

/// <summary>
/// Source-generated JSON metadata of the envelope (<see cref="StreamingData"/>, <see cref="StreamingMetadata"/>):
/// snake_case property names (as in the seed), nulls written, no reflection.
/// </summary>
/// <remarks>
/// The payloads' metadata is generated once, in <see cref="PayloadJsonContext"/>: the envelope converter writes each
/// payload with its <see cref="DataType.PayloadTypeInfo"/>, and <see cref="StreamingJson.Options"/> chains both
/// contexts. Listing the payload types here too would generate a second copy of each.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    UseStringEnumConverter = true,
    WriteIndented = false,
    // Metadata mode: the fast-path serializer writes doubles itself and would bypass CompactDoubleJsonConverter.
    GenerationMode = JsonSourceGenerationMode.Metadata,
    Converters = [typeof(StreamingDataJsonConverter), typeof(CompactDoubleJsonConverter)])]
[JsonSerializable(typeof(StreamingData))]
[JsonSerializable(typeof(StreamingMetadata))]
internal sealed partial class StreamingJsonContext : JsonSerializerContext
{
}
