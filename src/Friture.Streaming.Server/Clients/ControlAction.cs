namespace Friture.Streaming.Server.Clients;

/// <summary>The <c>action</c> of a client's control message.</summary>
internal enum ControlAction
{
    /// <summary><c>subscribe</c>: replace the subscription.</summary>
    Subscribe,

    /// <summary><c>ping</c>: ask for a <c>pong</c> reply.</summary>
    Ping,

    /// <summary><c>auth</c>: present the bearer token (TCP).</summary>
    Auth,

    /// <summary><c>configure</c>: change an analyzer's options (handled by the host's <see cref="ControlExtension"/>).</summary>
    Configure,

    /// <summary><c>reset</c>: reset an analyzer's accumulated state, e.g. loudness (handled by the host's <see cref="ControlExtension"/>).</summary>
    Reset,
}
