namespace Friture.Streaming.Engine;

/// <summary>Something that wakes another thread (a delivery worker, a consumer thread, a client's send loop).</summary>
internal interface IDeferredWake
{
    /// <summary>Wakes now. Must not throw.</summary>
    void Wake();
}

/// <summary>
/// A per-thread scope in which wake-ups are collected instead of made, then made once each when the scope closes.
/// </summary>
/// <remarks>
/// <para>
/// The capture thread opens one around each audio block: every message of the block is queued first, and each consumer
/// with new messages is woken once, at the end of the block, instead of once per message (the analysis of one block
/// takes tens of microseconds, so this delays nothing a consumer can see). A delivery thread opens one around each
/// turn of delivery: the client queues filled during the turn are woken once at its end, so a client's send loop
/// writes the messages of one block together (one socket write instead of one per message).
/// </para>
/// <para>
/// Why: on the 2-core VM that runs the benchmarks, a wake-up costs the waker a system call and the woken thread a
/// context switch, about 10 to 40 us of CPU in all; at 278 messages a second for three consumers that was more CPU than
/// the analysis (docs/performance.md, "Wake-ups per audio block").
/// </para>
/// <para>
/// Scopes nest; only the outermost close wakes. A wake deferred while the scope is closing is made in the same close,
/// after the ones before it (the delivery workers use this: runners are queued first, then one worker is woken for all
/// of them). Outside a scope <see cref="TryDefer"/> returns <see langword="false"/> and the caller wakes at once.
/// </para>
/// </remarks>
internal static class DeferredWakes
{
    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static List<IDeferredWake>? t_pending;

    /// <summary>Whether a scope is open on this thread.</summary>
    public static bool IsOpen => t_depth > 0;

    /// <summary>Opens a scope on this thread; pair with <see cref="Close"/> in a <c>finally</c>.</summary>
    public static void Open() => t_depth++;

    /// <summary>Closes the scope; the outermost close makes every deferred wake-up, once each, in the order deferred.</summary>
    public static void Close()
    {
        if (t_depth > 1)
        {
            t_depth--;
            return;
        }

        var pending = t_pending;
        try
        {
            // Still open while waking, so a wake may defer another (made below, in turn); the count is re-read.
            for (var i = 0; pending is not null && i < pending.Count; i++)
            {
                pending[i].Wake();
            }
        }
        finally
        {
            pending?.Clear();
            t_depth = 0;
        }
    }

    /// <summary>Defers a wake-up to the close of this thread's scope (once, however often it is deferred).</summary>
    /// <returns><see langword="false"/> when no scope is open: the caller must wake now.</returns>
    public static bool TryDefer(IDeferredWake target)
    {
        if (t_depth == 0)
        {
            return false;
        }

        var pending = t_pending ??= new List<IDeferredWake>(8);
        for (var i = 0; i < pending.Count; i++)
        {
            if (ReferenceEquals(pending[i], target))
            {
                return true;
            }
        }

        pending.Add(target);
        return true;
    }
}
