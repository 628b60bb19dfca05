using System.Text.Json;
using Friture.Streaming.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Friture.Streaming.Hosting.Dashboard;

/// <summary>
/// The dashboard's <c>session</c> resource: whether the page's access token is accepted (401 with a reason if not, so
/// the page can say so instead of retrying forever) and which data types the pipeline produces (so the page shows only
/// panels it can fill, for example the loudness panel).
/// </summary>
internal sealed class DashboardSession(FritureStreamingPipeline? pipeline, string? accessToken)
{
    private readonly AccessTokenValidator _token = new(accessToken);

    public Task WriteAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var header = context.Request.Headers.Authorization.ToString();
        if (!_token.IsValid(header.Length > 0 ? header : null, context.Request.Query["access_token"].ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return context.Response.WriteAsJsonAsync(new SessionReply(false, context.Request.Query.ContainsKey("access_token") ? "access token rejected" : "access token required", []), SessionJson.Default.SessionReply);
        }

        var types = new List<string>();
        if (pipeline is not null)
        {
            foreach (var producer in pipeline.Api.Producers)
            {
                var name = producer.GetDataType().Name;
                if (!types.Contains(name))
                {
                    types.Add(name);
                }
            }
        }

        return context.Response.WriteAsJsonAsync(new SessionReply(true, null, types), SessionJson.Default.SessionReply);
    }
}

/// <summary>The <c>session</c> reply.</summary>
internal sealed record SessionReply(bool Authorized, string? Reason, IReadOnlyList<string> Types);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SessionReply))]
internal sealed partial class SessionJson : System.Text.Json.Serialization.JsonSerializerContext;
