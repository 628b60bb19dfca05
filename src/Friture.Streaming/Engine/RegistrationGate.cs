namespace Friture.Streaming.Engine;

/// <summary>
/// The one lock every registration (producers, consumers, protocols, shared resources) takes, and the disposed flag
/// it guards. Shared by the registries so that one registration sees a consistent engine.
/// </summary>
internal sealed class RegistrationGate(object owner)
{
    /// <summary>The lock. Never held while calling consumer code or awaiting.</summary>
    public Lock Sync { get; } = new();

    /// <summary>Set under <see cref="Sync"/> once the owner is disposed.</summary>
    public bool Disposed { get; set; }

    /// <summary>Throws <see cref="ObjectDisposedException"/> naming the owner once disposed. Call under <see cref="Sync"/>.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Disposed, owner);
}
