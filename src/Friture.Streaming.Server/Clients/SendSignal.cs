namespace Friture.Streaming.Server.Clients;

/// <summary>
/// An auto-reset signal with one waiter (a client's send loop) whose continuation runs on the thread that sets it, so
/// the loop writes on the protocol's delivery thread with no thread hop.
/// </summary>
/// <remarks>
/// A set with no waiter is remembered, so a set between two waits is never lost. The waiter's
/// <see cref="TaskCompletionSource"/> is created without <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>
/// on purpose; the loop's writes that cannot complete at once still await, so the setting thread never blocks on a client.
/// </remarks>
internal sealed class SendSignal
{
    private readonly Lock _lock = new();
    private bool _set;
    private TaskCompletionSource? _waiter;

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            if (waiter is null)
            {
                _set = true;
                return;
            }

            _waiter = null;
        }

        waiter.TrySetResult();
    }

    /// <summary>Completes when <see cref="Set"/> is called (at once when it was called since the last wait).</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
#pragma warning disable RCS1229 // Synchronous continuations are the point (see the remarks).
            waiter = new TaskCompletionSource();
#pragma warning restore RCS1229
            _waiter = waiter;
        }

        await using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), waiter).ConfigureAwait(false))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }
}
