using System.Text.Json.Serialization;

namespace Friture.Streaming.Consumers;

/// <summary>File layout written by <see cref="FileConsumer"/> (<c>file_format</c> in the original Friture streaming API).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FileFormat>))]
public enum FileFormat
{
    /// <summary>JSON Lines (<c>jsonl</c>): one JSON envelope per line, exactly as the network protocols send it.</summary>
    [JsonStringEnumMemberName("jsonl")]
    Jsonl = 0,

    /// <summary>
    /// Comma-separated values (<c>csv</c>): one row per message with a header; array fields become one column per element
    /// (<c>frequencies_0</c>, <c>frequencies_1</c>, ...). When a message's shape changes (another data type, another array
    /// length) the file rotates so that every file has one header.
    /// </summary>
    [JsonStringEnumMemberName("csv")]
    Csv = 1,
}
