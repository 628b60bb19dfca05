using System.Text.Json;
using System.Text.Json.Serialization;

namespace Friture.Streaming;

/// <summary>Writes a <see cref="DataType"/> as its wire name and reads it back from the registry.</summary>
internal sealed class DataTypeJsonConverter : JsonConverter<DataType>
{
    public override DataType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"data_type must be a string, not {reader.TokenType}.");
        }

        var name = reader.GetString();
        return DataType.TryParse(name, out var dataType)
            ? dataType
            : throw new JsonException($"Unknown data_type '{name}'.");
    }

    public override void Write(Utf8JsonWriter writer, DataType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Name);

    public override DataType ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString();
        return DataType.TryParse(name, out var dataType)
            ? dataType
            : throw new JsonException($"Unknown data_type '{name}'.");
    }

    public override void WriteAsPropertyName(Utf8JsonWriter writer, DataType value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Name);
}
