using System.Text.Json;
using Friture.Streaming.Analyzers;

namespace Friture.Streaming.Hosting.Dashboard;

/// <summary>
/// <c>analyzers.json</c>, served beside the dashboard: one object per built-in analyzer, from
/// <see cref="BuiltInAnalyzers.All"/>, so the page can list the analyzers without its own copy of the list.
/// </summary>
/// <remarks>
/// Fields: <c>data_type</c> (wire name), <c>short_name</c>, <c>description</c>, <c>default_rate_hz</c>,
/// <c>payload</c> (payload record name) and <c>options</c> (options class name).
/// </remarks>
internal static class AnalyzerMetadata
{
    public const string FileName = "analyzers.json";

    public static DashboardAsset Create() => new(FileName, "application/json; charset=utf-8", ToUtf8Json(BuiltInAnalyzers.All));

    public static byte[] ToUtf8Json(IReadOnlyList<AnalyzerDescriptor> analyzers)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var analyzer in analyzers)
            {
                writer.WriteStartObject();
                writer.WriteString("data_type", analyzer.DataType.Name);
                writer.WriteString("short_name", analyzer.ShortName);
                writer.WriteString("description", analyzer.Description);
                writer.WriteNumber("default_rate_hz", analyzer.DefaultRateHz);
                writer.WriteString("payload", analyzer.DataType.PayloadType.Name);
                writer.WriteString("options", analyzer.OptionsType.Name);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return stream.ToArray();
    }
}
