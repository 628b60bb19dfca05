namespace Friture.Streaming.Server.Clients;

/// <summary>A parsed control message.</summary>
internal readonly record struct ControlMessage(ControlAction Action, ClientSubscription? Subscription, string? Token)
{
    /// <summary>The <c>data_type</c> of a <c>configure</c> or <c>reset</c> message.</summary>
    public string? DataType { get; init; }

    /// <summary>The <c>options</c> object of a <c>configure</c> message (a detached clone).</summary>
    public System.Text.Json.JsonElement Options { get; init; }
}
