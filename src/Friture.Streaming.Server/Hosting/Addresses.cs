using System.Net;

namespace Friture.Streaming.Server.Hosting;

/// <summary>Turns a protocol's host setting into addresses to bind or to send to.</summary>
internal static class Addresses
{
    /// <summary>
    /// <c>localhost</c> is IPv4 loopback; <c>*</c> and <c>0.0.0.0</c> are every IPv4 interface, <c>::</c> every IPv6
    /// interface; an IP literal is itself; another name is resolved through DNS (first address of each family).
    /// </summary>
    public static IReadOnlyList<IPAddress> Resolve(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback];
        }

        if (host == "*")
        {
            return [IPAddress.Any];
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        var resolved = Dns.GetHostAddresses(host);
        var v4 = Array.Find(resolved, static a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        var v6 = Array.Find(resolved, static a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        return v4 is not null ? [v4] : v6 is not null ? [v6] : throw new ArgumentException($"Host '{host}' does not resolve to an address.", nameof(host));
    }

    /// <summary>
    /// The addresses a listener binds, where the web server would: for <c>localhost</c> both loopbacks, 127.0.0.1 and,
    /// when the system has IPv6, [::1]; otherwise <see cref="Resolve"/>.
    /// </summary>
    public static IReadOnlyList<IPAddress> Listen(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && System.Net.Sockets.Socket.OSSupportsIPv6
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : Resolve(host);
}
