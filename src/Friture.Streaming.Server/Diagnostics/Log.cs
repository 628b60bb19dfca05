using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Diagnostics;

/// <summary>Source-generated log messages of the network protocols (event ids 5003-5999; the lifecycle's 5001-5002 are logged by the protocol base in the core).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "{Protocol} client {ClientId} connected from {RemoteEndPoint}")]
    public static partial void ClientConnected(ILogger logger, string protocol, string clientId, string remoteEndPoint);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "{Protocol} client {ClientId} disconnected: sent {Sent}, dropped {Dropped}")]
    public static partial void ClientDisconnected(ILogger logger, string protocol, string clientId, long sent, long dropped);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "{Protocol} client {ClientId} disconnected: sent {Sent}, dropped {Dropped} because it read too slowly (its queue was full)")]
    public static partial void ClientDisconnectedWithDrops(ILogger logger, string protocol, string clientId, long sent, long dropped);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "{Protocol} client {ClientId} evicted to make room for a new client: it had accepted no data for longer than StalledClientTimeout")]
    public static partial void ClientEvicted(ILogger logger, string protocol, string clientId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "{Protocol} refused a client from {RemoteEndPoint}: {Reason}")]
    public static partial void ClientRejected(ILogger logger, string protocol, string remoteEndPoint, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "{Protocol} client {ClientId} failed")]
    public static partial void ClientFailed(ILogger logger, Exception exception, string protocol, string clientId);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "{Protocol} client {ClientId} disconnected because its queue overflowed")]
    public static partial void ClientOverflowed(ILogger logger, string protocol, string clientId);

    /// <summary>Logs a departure: at debug level, or as a warning naming the drops when the client lost messages.</summary>
    public static void ClientDisconnected(ILogger logger, string protocol, Clients.ClientSession session)
    {
        var dropped = session.Dropped;
        if (dropped > 0)
        {
            ClientDisconnectedWithDrops(logger, protocol, session.ClientId, session.Sent, dropped);
        }
        else
        {
            ClientDisconnected(logger, protocol, session.ClientId, session.Sent, 0);
        }
    }
}
