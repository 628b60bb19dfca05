namespace Friture.Streaming.Mqtt.Tests.Support;

internal static class Wait
{
    /// <summary>Polls a condition until it holds, failing after <paramref name="seconds"/> (default 30 s).</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {seconds} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
