namespace Friture.Streaming.Server.Clients;

/// <summary>Applies a client's control message to its session and queues the reply; a bad message gets an error reply.</summary>
internal static class ControlHandler
{
    public static void Handle(ClientSession session, ReadOnlySpan<byte> utf8Json) => Handle(session, utf8Json, null);

    public static void Handle(ClientSession session, ReadOnlySpan<byte> utf8Json, ControlExtension? extension)
    {
        if (!SubscriptionParser.TryParseControl(utf8Json, out var message, out var error))
        {
            session.Enqueue(ControlReplies.Error(error));
            return;
        }

        switch (message.Action)
        {
            case ControlAction.Subscribe:
                session.UpdateSubscription(message.Subscription!);
                session.Enqueue(ControlReplies.Subscribed(message.Subscription!, session.Linger));
                break;
            case ControlAction.Ping:
                session.Enqueue(ControlReplies.Pong());
                break;
            case ControlAction.Auth:
                // Already authenticated (the token was checked when the connection opened).
                session.Enqueue(ControlReplies.Authenticated());
                break;
            case ControlAction.Configure:
            case ControlAction.Reset:
                var failure = extension is null
                    ? $"This server does not accept '{(message.Action == ControlAction.Configure ? "configure" : "reset")}' messages."
                    : extension(message.Action, message.DataType!, message.Options);
                session.Enqueue(failure is null
                    ? ControlReplies.Done(message.Action == ControlAction.Configure ? "configured" : "reset", message.DataType!)
                    : ControlReplies.Error(failure));
                break;
        }
    }
}
