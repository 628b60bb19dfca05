namespace Friture.Streaming.Server.Clients;

/// <summary>What an outbound message carries.</summary>
internal enum MessageKind
{
    /// <summary>A stream message (JSON envelope or binary frame).</summary>
    Data,

    /// <summary>An application message from <c>SendData</c>.</summary>
    Application,

    /// <summary>A reply to a client's control message.</summary>
    Control,

    /// <summary>An SSE keep-alive or informational comment.</summary>
    Comment,
}
