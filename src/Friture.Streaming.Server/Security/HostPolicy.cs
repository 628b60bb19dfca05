using System.Net;
using Microsoft.AspNetCore.Http;

namespace Friture.Streaming.Server.Security;

/// <summary>
/// The Host header check against DNS rebinding: a page on <c>evil.example</c> whose name is re-pointed at this machine
/// reaches the server with <c>Host: evil.example</c>, which no legitimate client sends.
/// </summary>
/// <remarks>
/// Allowed: no Host header (HTTP/1.0 tools), an IP address literal (rebinding needs a name), <c>localhost</c> and
/// <c>*.localhost</c>, the host the protocol binds (unless it is a wildcard), and every entry of the allow-list: an exact
/// name, <c>*.example.org</c> for its subdomains, or <c>*</c> for any host.
/// </remarks>
internal sealed class HostPolicy
{
    private readonly string[] _allowed;
    private readonly bool _any;

    public HostPolicy(IEnumerable<string> allowedHosts)
    {
        _allowed = [.. allowedHosts.Select(static h => h.Trim().TrimEnd('.'))];
        _any = Array.IndexOf(_allowed, "*") >= 0;
    }

    public bool IsAllowed(HostString host, string? boundHost)
    {
        if (_any || !host.HasValue)
        {
            return true;
        }

        var name = host.Host.TrimEnd('.');
        if (IPAddress.TryParse(name.Trim('[', ']'), out _)
            || string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (boundHost is { Length: > 0 } && boundHost is not ("*" or "+" or "0.0.0.0" or "::")
            && string.Equals(name, boundHost.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var allowed in _allowed)
        {
            if (string.Equals(allowed, name, StringComparison.OrdinalIgnoreCase)
                || (allowed.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
