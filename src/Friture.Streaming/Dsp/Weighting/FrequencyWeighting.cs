namespace Friture.Streaming.Dsp.Weighting;

/// <summary>Frequency weighting of IEC 61672-1 applied before levels are computed.</summary>
public enum FrequencyWeighting
{
    /// <summary>Z (zero): flat, no weighting (Friture's "none").</summary>
    Z,

    /// <summary>A weighting: the ear's sensitivity at low levels; 0 dB at 1 kHz, -19.1 dB at 100 Hz.</summary>
    A,

    /// <summary>B weighting (withdrawn from IEC 61672 but still asked for): between A and C.</summary>
    B,

    /// <summary>C weighting: nearly flat from 31.5 Hz to 8 kHz; used for peak levels (LCpeak).</summary>
    C,
}
