using Microsoft.AspNetCore.Http;

namespace Friture.Streaming.Hosting.Dashboard;

/// <summary>One embedded dashboard file, held in memory.</summary>
internal sealed class DashboardAsset(string name, string contentType, byte[] content)
{
    public string Name { get; } = name;

    public Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = content.Length;
        return context.Response.Body.WriteAsync(content).AsTask();
    }
}
