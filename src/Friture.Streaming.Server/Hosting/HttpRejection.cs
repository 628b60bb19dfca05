using Microsoft.AspNetCore.Http;

namespace Friture.Streaming.Server.Hosting;

/// <summary>Writes a short plain-text refusal (status code and a sentence saying why).</summary>
internal static class HttpRejection
{
    public static Task WriteAsync(HttpContext context, int statusCode, string reason)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (statusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }

    public static string RemoteEndPoint(HttpContext context) =>
        $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
}
