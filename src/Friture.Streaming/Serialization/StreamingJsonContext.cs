using System.Text.Json.Serialization;
using Friture.Streaming.Data;

namespace Friture.Streaming.Serialization;

/// <summary>
/// Source-generated JSON metadata for every type the library puts on the wire or in a settings file:
/// snake_case property names (as in the original Friture streaming API), nulls written, no reflection.
/// </summary>
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
[JsonSerializable(typeof(PitchData))]
[JsonSerializable(typeof(FftSpectrumData))]
[JsonSerializable(typeof(OctaveSpectrumData))]
[JsonSerializable(typeof(LevelsData))]
[JsonSerializable(typeof(DelayEstimatorData))]
[JsonSerializable(typeof(SpectrogramData))]
[JsonSerializable(typeof(ScopeData))]
[JsonSerializable(typeof(LoudnessData))]
internal sealed partial class StreamingJsonContext : JsonSerializerContext
{
}
