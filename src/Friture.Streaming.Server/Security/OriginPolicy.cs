using Microsoft.AspNetCore.Http;

namespace Friture.Streaming.Server.Security;

/// <summary>
/// The WebSocket Origin allow-list, against cross-site WebSocket hijacking: requests without an Origin header
/// (non-browser clients) and same-origin requests are allowed, others only when listed (or when the list holds <c>*</c>).
/// </summary>
internal sealed class OriginPolicy
{
    private readonly string[] _allowed;
    private readonly bool _any;

    public OriginPolicy(IEnumerable<string> allowedOrigins)
    {
        _allowed = allowedOrigins.Select(static o => o.TrimEnd('/')).ToArray();
        _any = Array.IndexOf(_allowed, "*") >= 0;
    }

    public bool IsAllowed(HttpRequest request, out string origin)
    {
        origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || _any)
        {
            return true;
        }

        foreach (var allowed in _allowed)
        {
            if (string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        var self = $"{request.Scheme}://{request.Host.Value}";
        return string.Equals(self, origin, StringComparison.OrdinalIgnoreCase);
    }
}
