using System.Text.Json;
using System.Text.Json.Serialization;

namespace Friture.Streaming.Data;

/// <summary>
/// Writes a <see cref="double"/> that holds a float32 value (most payload numbers: analyzers compute in float32) as
/// that float's shortest round-trip text, <c>-9.02925</c> instead of the widened <c>-9.029250144958496</c>; any
/// other double as its own shortest round-trip text.
/// </summary>
internal sealed class CompactDoubleJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => WriteValue(writer, value);

    /// <summary>What <see cref="Write"/> writes, for the hand-written payload writers.</summary>
    public static void WriteValue(Utf8JsonWriter writer, double value)
    {
        var single = (float)value;
        if ((double)single == value && float.IsFinite(single))
        {
            // The float's shortest text, exactly as WriteNumberValue(single) writes it (JsonFloat).
            Span<byte> text = stackalloc byte[JsonFloat.MaxLength];
            writer.WriteRawValue(text[..JsonFloat.Format(single, text)], skipInputValidation: true);
        }
        else
        {
            Span<byte> text = stackalloc byte[32];
            var written = JsonFloat.TryFormatFast(value, text);
            if (written > 0)
            {
                writer.WriteRawValue(text[..written], skipInputValidation: true);
            }
            else
            {
                writer.WriteNumberValue(value);
            }
        }
    }
}
