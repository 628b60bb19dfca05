namespace Friture.Streaming.Osc.Encoding;

/// <summary>OSC (NTP) time tags: 64-bit fixed point, the upper 32 bits seconds since 1900-01-01 UTC, the lower 32 the fraction.</summary>
internal static class OscTimeTag
{
    /// <summary>The special time tag meaning "immediately".</summary>
    public const ulong Immediately = 1;

    private static readonly DateTimeOffset Epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ulong FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = (time - Epoch).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = ((ulong)(ticks % TimeSpan.TicksPerSecond) << 32) / (ulong)TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    public static DateTimeOffset ToDateTimeOffset(ulong timeTag)
    {
        var seconds = (long)(timeTag >> 32);
        var fraction = (long)(timeTag & 0xFFFF_FFFF);
        return Epoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (((fraction * TimeSpan.TicksPerSecond) + (1L << 31)) >> 32));
    }
}
