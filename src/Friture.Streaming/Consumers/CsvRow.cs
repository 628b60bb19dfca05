using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Consumers;

/// <summary>Flattens a message into one CSV row: metadata columns, then payload scalars, arrays one column per element.</summary>
internal static class CsvRow
{
    private static readonly string[] MetadataColumns = ["timestamp", "stream_time", "data_type", "producer_id", "sequence_number"];

    /// <summary>Writes the row (UTF-8, ending in a newline) and returns the shape key; <paramref name="header"/> is the matching header line.</summary>
    public static string Write(StreamingData data, IBufferWriter<byte> destination, out string header)
    {
        var columns = new List<string>(MetadataColumns);
        var values = new List<string>
        {
            data.Metadata.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            data.Metadata.StreamTime.ToString("R", CultureInfo.InvariantCulture),
            data.DataType.Name,
            Quote(data.Metadata.ProducerId),
            data.Metadata.SequenceNumber.ToString(CultureInfo.InvariantCulture),
        };

        var json = JsonSerializer.SerializeToUtf8Bytes(data.Data, data.DataType.PayloadTypeInfo);
        var reader = new Utf8JsonReader(json);
        reader.Read();
        Flatten(ref reader, prefix: null, columns, values);

        header = string.Join(',', columns) + "\n";
        var row = string.Join(',', values) + "\n";
        destination.Write(Encoding.UTF8.GetBytes(row));
        return data.DataType.Name + "|" + header;
    }

    private static void Flatten(ref Utf8JsonReader reader, string? prefix, List<string> columns, List<string> values)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    Flatten(ref reader, prefix is null ? name : prefix + "_" + name, columns, values);
                }

                break;
            case JsonTokenType.StartArray:
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Flatten(ref reader, (prefix ?? "value") + "_" + index.ToString(CultureInfo.InvariantCulture), columns, values);
                    index++;
                }

                break;
            case JsonTokenType.String:
                columns.Add(prefix ?? "value");
                values.Add(Quote(reader.GetString() ?? string.Empty));
                break;
            case JsonTokenType.Null:
                columns.Add(prefix ?? "value");
                values.Add(string.Empty);
                break;
            default:
                columns.Add(prefix ?? "value");
                values.Add(Encoding.UTF8.GetString(reader.ValueSpan));
                break;
        }
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
