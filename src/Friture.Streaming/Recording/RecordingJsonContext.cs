using System.Text.Json.Serialization;

namespace Friture.Streaming.Recording;

/// <summary>Source-generated JSON metadata for the recording payloads (snake_case, as every wire type).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(AudioChunkData))]
internal sealed partial class RecordingJsonContext : JsonSerializerContext
{
}
