namespace Friture.Streaming.Hosting.Tests.Support;

/// <summary>Waits on conditions (never on fixed sleeps) with a generous bound.</summary>
internal static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds} s waiting for: {what}");
            }

            // Polling interval, not synchronisation: the condition decides.
            await Task.Delay(20);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    public static CancellationToken Token() => new CancellationTokenSource(Timeout).Token;
}
