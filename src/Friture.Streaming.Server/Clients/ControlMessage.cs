namespace Friture.Streaming.Server.Clients;

/// <summary>A parsed control message.</summary>
internal readonly record struct ControlMessage(ControlAction Action, ClientSubscription? Subscription, string? Token);
