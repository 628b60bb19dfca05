namespace Friture.Streaming.Tests.Support;

/// <summary>Zero-allocation assertions that a steady-state allocation fails and a one-off runtime allocation does not.</summary>
internal static class Allocations
{
    /// <summary>
    /// Runs <paramref name="round"/> up to <paramref name="attempts"/> times, measuring this thread's allocations, and
    /// passes as soon as one round allocates nothing. Code that allocates per call allocates in every round and fails;
    /// the runtime's own one-off work on this thread (a method tiering up in the middle of a round on a loaded machine,
    /// a type loaded late) happens once and does not.
    /// </summary>
    /// <param name="round">The measured work, already warmed up.</param>
    /// <param name="attempts">Rounds at most.</param>
    public static void AssertSteadyStateAllocatesNothing(Action round, int attempts = 3)
    {
        var measured = new List<long>();
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            round();
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (bytes == 0)
            {
                return;
            }

            measured.Add(bytes);
        }

        Assert.Fail($"every round allocated: {string.Join(", ", measured)} bytes");
    }
}
