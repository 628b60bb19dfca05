using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Friture.Streaming.Protocols;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Hosting;

/// <summary>A private Kestrel server that runs one request delegate, for the self-hosted WebSocket and SSE protocols.</summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly IHost _host;

    private KestrelHost(IHost host, int port)
    {
        _host = host;
        Port = port;
    }

    public int Port { get; }

    public static async Task<KestrelHost> StartAsync(
        string protocolName,
        string host,
        int port,
        X509Certificate2? certificate,
        ILoggerFactory? loggerFactory,
        Action<IApplicationBuilder> configure,
        CancellationToken cancellationToken)
    {
        var built = new HostBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services =>
            {
                services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
                if (loggerFactory is not null)
                {
                    services.AddSingleton(loggerFactory);
                }
            })
            .ConfigureWebHost(web => web
                // Socket writes on the thread that flushes (the client's send loop, itself resumed on the protocol's
                // consumer thread) instead of a thread-pool hop per message; the endpoints never block (docs/performance.md).
                .UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true)
                .UseKestrel(kestrel =>
                {
                    kestrel.AddServerHeader = false;
                    Bind(kestrel, host, port, certificate);
                })
                .UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true")
                .Configure(configure))
            .Build();
        try
        {
            await built.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            built.Dispose();
            throw BindError(protocolName, host, port, ex);
        }

        var addresses = built.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var bound = port;
        if (addresses is not null)
        {
            foreach (var address in addresses)
            {
                if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
                {
                    bound = uri.Port;
                    break;
                }
            }
        }

        return new KestrelHost(built, bound);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }

    internal static ProtocolException BindError(string protocolName, string host, int port, Exception ex)
    {
        var inUse = false;
        for (var e = ex; e is not null; e = e.InnerException)
        {
            inUse |= e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || e.GetType().Name == "AddressInUseException"
                || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
        }

        return inUse
            ? new ProtocolException($"The {protocolName} protocol cannot listen on {host}:{port}: port {port} is already in use.", ex)
            : new ProtocolException($"The {protocolName} protocol cannot listen on {host}:{port}: {ex.Message}", ex);
    }

    private static void Bind(KestrelServerOptions kestrel, string host, int port, X509Certificate2? certificate)
    {
        void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel cannot pick a dynamic port for "localhost" (two sockets); port 0 binds IPv4 loopback only.
            if (port == 0)
            {
                kestrel.Listen(IPAddress.Loopback, 0, Configure);
            }
            else
            {
                kestrel.ListenLocalhost(port, Configure);
            }

            return;
        }

        foreach (var address in Addresses.Resolve(host))
        {
            kestrel.Listen(address, port, Configure);
        }
    }
}
