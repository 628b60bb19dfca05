namespace Friture.Streaming.Mqtt;

/// <summary>Exponential reconnection delays: initial, doubled after each failed attempt, capped.</summary>
/// <remarks>Deterministic (no jitter), so tests can step a fake clock through the exact schedule.</remarks>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _maximum;
    private int _failures;

    public ReconnectBackoff(TimeSpan initial, TimeSpan maximum)
    {
        _initial = initial;
        _maximum = maximum;
    }

    /// <summary>Failed attempts since the last success.</summary>
    public int Failures => _failures;

    /// <summary>Records a failed attempt and returns how long to wait before the next one.</summary>
    public TimeSpan NextDelay()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var ticks = _initial.Ticks * Math.Pow(2, exponent);
        return ticks >= _maximum.Ticks ? _maximum : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Records a successful connection: the next failure waits the initial delay again.</summary>
    public void Reset() => _failures = 0;
}
