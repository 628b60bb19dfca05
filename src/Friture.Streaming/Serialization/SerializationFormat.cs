using System.Text.Json.Serialization;

namespace Friture.Streaming.Serialization;

/// <summary>How a message is encoded on the wire (<c>serialization_format</c> in the original Friture streaming API).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SerializationFormat>))]
public enum SerializationFormat
{
    /// <summary>The JSON envelope of <see cref="StreamingJson"/> (<c>json</c>).</summary>
    [JsonStringEnumMemberName("json")]
    Json = 0,

    /// <summary>A compact binary encoding for large arrays (<c>binary</c>); see <c>docs/wire-format.md</c>.</summary>
    [JsonStringEnumMemberName("binary")]
    Binary = 1,
}
