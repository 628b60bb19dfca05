using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Server.Diagnostics;

/// <summary>Source-generated log messages of the network protocols (event ids 5000-5999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "{Protocol} listening on {Host}:{Port}")]
    public static partial void Started(ILogger logger, string protocol, string host, int port);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "{Protocol} stopped")]
    public static partial void Stopped(ILogger logger, string protocol);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "{Protocol} client {ClientId} connected from {RemoteEndPoint}")]
    public static partial void ClientConnected(ILogger logger, string protocol, string clientId, string remoteEndPoint);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "{Protocol} client {ClientId} disconnected: sent {Sent}, dropped {Dropped}")]
    public static partial void ClientDisconnected(ILogger logger, string protocol, string clientId, long sent, long dropped);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "{Protocol} refused a client from {RemoteEndPoint}: {Reason}")]
    public static partial void ClientRejected(ILogger logger, string protocol, string remoteEndPoint, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "{Protocol} client {ClientId} failed")]
    public static partial void ClientFailed(ILogger logger, Exception exception, string protocol, string clientId);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "{Protocol} client {ClientId} disconnected because its queue overflowed")]
    public static partial void ClientOverflowed(ILogger logger, string protocol, string clientId);
}
