using System.Text.Json.Serialization;

namespace Friture.Streaming.Data;

/// <summary>
/// Source-generated JSON metadata of the built-in payloads, with the wire's conventions (snake_case names, nulls
/// written, enums as strings). <see cref="DataType"/> takes each built-in type's metadata from here.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    UseStringEnumConverter = true,
    WriteIndented = false,
    // Metadata mode: the fast-path serializer writes doubles itself and would bypass CompactDoubleJsonConverter.
    GenerationMode = JsonSourceGenerationMode.Metadata,
    // The array converters write each float array as one raw value (JsonFloat), byte for byte the serializer's text.
    Converters = [typeof(CompactDoubleJsonConverter), typeof(FloatArrayJsonConverter), typeof(FloatMatrixJsonConverter),
        typeof(NullableFloatArrayJsonConverter), typeof(StringArrayJsonConverter)])]
[JsonSerializable(typeof(PitchData))]
[JsonSerializable(typeof(FftSpectrumData))]
[JsonSerializable(typeof(OctaveSpectrumData))]
[JsonSerializable(typeof(LevelsData))]
[JsonSerializable(typeof(DelayEstimatorData))]
[JsonSerializable(typeof(SpectrogramData))]
[JsonSerializable(typeof(ScopeData))]
[JsonSerializable(typeof(LoudnessData))]
internal sealed partial class PayloadJsonContext : JsonSerializerContext
{
}
