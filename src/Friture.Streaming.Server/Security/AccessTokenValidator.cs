using System.Security.Cryptography;
using System.Text;

namespace Friture.Streaming.Server.Security;

/// <summary>Checks a presented bearer token against the configured one in constant time.</summary>
internal sealed class AccessTokenValidator
{
    private readonly byte[]? _expected;

    public AccessTokenValidator(string? accessToken) =>
        _expected = accessToken is null ? null : Encoding.UTF8.GetBytes(accessToken);

    public bool IsRequired => _expected is not null;

    public bool IsValid(string? presented)
    {
        if (_expected is null)
        {
            return true;
        }

        if (presented is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        return CryptographicOperations.FixedTimeEquals(bytes, _expected);
    }

    /// <summary>Reads a token from an <c>Authorization: Bearer &lt;token&gt;</c> header value, or from the query parameter.</summary>
    public bool IsValid(string? authorizationHeader, string? queryToken)
    {
        if (_expected is null)
        {
            return true;
        }

        const string Scheme = "Bearer ";
        if (authorizationHeader is not null && authorizationHeader.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return IsValid(authorizationHeader[Scheme.Length..].Trim());
        }

        return IsValid(queryToken);
    }
}
