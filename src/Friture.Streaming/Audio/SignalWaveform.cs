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

    /// <summary>
    /// The demo signal: a sine at <see cref="SignalGeneratorOptions.FrequencyHz"/> (level = its peak) over pink noise
    /// 30 dB below it, plus a pink-noise burst 6 dB below the sine for 0.25 s of every
    /// <see cref="SignalGeneratorOptions.BurstIntervalSeconds"/>. The tone gives pitch, spectrum and octave bands
    /// something to show; the broadband noise carries <see cref="SignalGeneratorOptions.InterChannelDelaySeconds"/> to
    /// the delay estimator (a pure sine's correlation repeats every period and cannot show a delay).
    /// </summary>
    Demo,
}
