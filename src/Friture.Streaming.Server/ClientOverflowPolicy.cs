namespace Friture.Streaming.Server;

/// <summary>What happens when a network client's queue is full because the client reads slower than data arrives.</summary>
public enum ClientOverflowPolicy
{
    /// <summary>Drop the oldest queued message (<c>drop_oldest</c>, the default): the client sees the freshest data and a gap in <c>sequence_number</c>.</summary>
    DropOldest = 0,

    /// <summary>Close the client's connection (<c>disconnect</c>): the client sees an unbroken stream or none.</summary>
    Disconnect = 1,
}
