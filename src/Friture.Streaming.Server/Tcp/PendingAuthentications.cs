namespace Friture.Streaming.Server.Tcp;

/// <summary>
/// The TCP connections waiting to authenticate, oldest first. Past the limit, the oldest is cancelled to make room, so
/// connections that never authenticate cannot keep a client with the right token out.
/// </summary>
internal sealed class PendingAuthentications
{
    private readonly LinkedList<Entry> _waiting = new();
    private readonly Lock _lock = new();

    public Entry Enter(CancellationTokenSource cancel, int limit)
    {
        var entry = new Entry(cancel);
        Entry? displaced = null;
        lock (_lock)
        {
            entry.Node = _waiting.AddLast(entry);
            if (_waiting.Count > limit)
            {
                displaced = _waiting.First!.Value;
                _waiting.RemoveFirst();
                displaced.Node = null;
                displaced.Displaced = true;
            }
        }

        if (displaced is not null)
        {
            try
            {
                displaced.Cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        return entry;
    }

    public void Leave(Entry entry)
    {
        lock (_lock)
        {
            if (entry.Node is { } node)
            {
                _waiting.Remove(node);
                entry.Node = null;
            }
        }
    }

    internal sealed class Entry(CancellationTokenSource cancel)
    {
        public CancellationTokenSource Cancel { get; } = cancel;

        public LinkedListNode<Entry>? Node { get; set; }

        public bool Displaced { get; set; }
    }
}
