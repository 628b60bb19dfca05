namespace Friture.Streaming.TestSupport;

/// <summary>
/// Waits on conditions, never on time: network and thread tests poll what they expect with a generous timeout, so a
/// loaded machine makes them slower, not flaky.
/// </summary>
public static class Wait
{
    /// <summary>The default limit: long enough for a loaded CI machine, short enough to fail a hung test.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="timeout">The limit; <see cref="Timeout"/> when omitted.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message names <paramref name="what"/>.</exception>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? Timeout;
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds} s waiting for: {what}");
            }

            // Polling interval, not synchronisation: the condition decides.
            await Task.Delay(10);
        }
    }

    /// <summary>Polls an asynchronous <paramref name="condition"/> until it holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="timeout">The limit; <see cref="Timeout"/> when omitted.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message names <paramref name="what"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? Timeout;
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>A token cancelled after <see cref="Timeout"/>, for network calls that must not hang a test.</summary>
    /// <returns>The token.</returns>
    public static CancellationToken Token() => new CancellationTokenSource(Timeout).Token;
}
