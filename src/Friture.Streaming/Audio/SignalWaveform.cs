namespace Friture.Streaming.Audio;

/// <summary>The signals of <see cref="SignalGeneratorSource"/> (Friture's generator set).</summary>
public enum SignalWaveform
{
    /// <summary>A sine at <see cref="SignalGeneratorOptions.FrequencyHz"/>; the level is the peak.</summary>
    Sine,

    /// <summary>White noise with a uniform distribution; the level is the RMS.</summary>
    WhiteNoise,

    /// <summary>Pink noise (-3 dB per octave) from 13 octave-held random sources (Voss-McCartney); the level is the RMS.</summary>
    PinkNoise,

    /// <summary>An exponential (logarithmic) sine sweep, repeated; the level is the peak.</summary>
    Sweep,

    /// <summary>A one-sample impulse every <see cref="SignalGeneratorOptions.BurstIntervalSeconds"/>; the level is the peak.</summary>
    Burst,
}
