namespace Friture.Streaming.Analyzers.Levels;

/// <summary>Time weighting of the RMS level (exponential averaging of the squared signal).</summary>
public enum LevelTimeWeighting
{
    /// <summary>Friture's RMS meter: 300 ms time constant.</summary>
    Friture,

    /// <summary>IEC 61672-1 F (fast): 125 ms.</summary>
    Fast,

    /// <summary>IEC 61672-1 S (slow): 1 s.</summary>
    Slow,

    /// <summary>IEC 60651 I (impulse): 35 ms on rising levels, 1.5 s on falling levels (about 2.9 dB/s decay).</summary>
    Impulse,
}
