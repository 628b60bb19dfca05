using System.Text;
using System.Text.Encodings.Web;

namespace Friture.Streaming.Hosting.Dashboard;

/// <summary>The dashboard's static files, embedded in this assembly; index.html gets the stream paths filled in.</summary>
internal static class DashboardAssets
{
    private const string Prefix = "Friture.Streaming.Hosting.Dashboard.wwwroot.";

    public static IReadOnlyList<DashboardAsset> Load(FritureEndpointOptions endpoints)
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new List<DashboardAsset>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            if (name == "index.html")
            {
                var html = Encoding.UTF8.GetString(bytes)
                    .Replace("{{WS_PATH}}", endpoints.WebSocket ? HtmlEncoder.Default.Encode(endpoints.WebSocketPath) : string.Empty, StringComparison.Ordinal)
                    .Replace("{{SSE_PATH}}", endpoints.Sse ? HtmlEncoder.Default.Encode(endpoints.SsePath) : string.Empty, StringComparison.Ordinal);
                bytes = Encoding.UTF8.GetBytes(html);
            }

            assets.Add(new DashboardAsset(name, ContentType(name), bytes));
        }

        return assets;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
