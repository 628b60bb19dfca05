namespace Friture.Streaming.Audio;

/// <summary>
/// An event a reader waits on that a cancellation token also sets, registered once per token rather than once per
/// wait, so that waiting in steady state allocates nothing.
/// </summary>
/// <remarks>
/// <c>ManualResetEventSlim.Wait(CancellationToken)</c> registers with the token on every blocking wait, and that
/// registration occasionally allocates; the capture thread passes the same token to every read, so one registration
/// serves them all.
/// </remarks>
internal sealed class CancellableSignal : IDisposable
{
    // No spinning before blocking: every wait here is for audio (milliseconds), never for a few instructions.
    private readonly ManualResetEventSlim _event = new(false, spinCount: 0);
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;

    public void Set() => _event.Set();

    public void Reset() => _event.Reset();

    /// <summary>Waits until set or until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">The token; the same one on every call costs nothing after the first.</param>
    /// <returns><see langword="false"/> when cancelled.</returns>
    public bool Wait(CancellationToken cancellationToken) => Wait(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Waits until set, cancelled or <paramref name="timeout"/> has passed.</summary>
    /// <returns><see langword="false"/> when cancelled; <see langword="true"/> when set or timed out.</returns>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken != _token)
        {
            _registration.Dispose();
            _token = cancellationToken;
            _registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((ManualResetEventSlim)s!).Set(), _event)
                : default;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        _event.Wait(timeout, CancellationToken.None); // the token is registered once, above
        return !cancellationToken.IsCancellationRequested;
    }

    public void Dispose()
    {
        _registration.Dispose();
        _event.Dispose();
    }
}
