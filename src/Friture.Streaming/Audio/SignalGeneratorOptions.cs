namespace Friture.Streaming.Audio;

/// <summary>Settings of a <see cref="SignalGeneratorSource"/>.</summary>
/// <remarks>Validated once, when the source is created; each error names the option, the value and the allowed range.</remarks>
public sealed class SignalGeneratorOptions
{
    /// <summary>The signal. Default <see cref="SignalWaveform.Sine"/>.</summary>
    public SignalWaveform Waveform { get; set; } = SignalWaveform.Sine;

    /// <summary>Sample rate in Hz, 8000 to 192000. Default 48000.</summary>
    public int SampleRate { get; set; } = 48_000;

    /// <summary>Channel count, 1 to 32. Default 1.</summary>
    public int Channels { get; set; } = 1;

    /// <summary>Sine frequency in Hz, above 0 and below the Nyquist frequency. Default 440.</summary>
    public double FrequencyHz { get; set; } = 440;

    /// <summary>Level in dBFS, -200 to 0. Default -6.</summary>
    /// <remarks>
    /// For the sine, sweep and burst this is the peak (a 0 dBFS sine spans ±1.0, RMS -3.01 dBFS); for the noises it is the
    /// RMS (20·log10 of the RMS sample value), and samples beyond ±1.0 are clipped.
    /// </remarks>
    public double LevelDbfs { get; set; } = -6;

    /// <summary>Sweep start frequency in Hz, above 0 and below <see cref="SweepEndHz"/>. Default 20.</summary>
    public double SweepStartHz { get; set; } = 20;

    /// <summary>Sweep end frequency in Hz, at most the Nyquist frequency. Default 20000.</summary>
    public double SweepEndHz { get; set; } = 20_000;

    /// <summary>Duration of one sweep in seconds, 0.01 to 3600; the sweep then starts again. Default 5.</summary>
    public double SweepDurationSeconds { get; set; } = 5;

    /// <summary>Seconds between two bursts, 0.001 to 3600. Default 1 (Friture: one sample every second).</summary>
    public double BurstIntervalSeconds { get; set; } = 1;

    /// <summary>
    /// Delay in seconds of each channel relative to the previous one (channel k is delayed by (k-1) × this value),
    /// 0 to 1 s; rounded to whole samples. Default 0. Exercises the delay estimator.
    /// </summary>
    public double InterChannelDelaySeconds { get; set; }

    /// <summary>Whether channels 2 and up are polarity-inverted relative to channel 1. Default <see langword="false"/>.</summary>
    public bool InvertPolarity { get; set; }

    /// <summary>Seed of the noise generators; <see langword="null"/> (the default) picks one at random.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Whether reads are paced to the clock of <see cref="TimeProvider"/> (a live-like source) or return as fast as
    /// possible. Default <see langword="true"/>.
    /// </summary>
    public bool RealTime { get; set; } = true;

    /// <summary>
    /// In real time, how far the reader may fall behind the clock, in seconds (0.01 to 60), before audio is skipped and
    /// counted as an overrun. Default 0.5.
    /// </summary>
    public double MaxLagSeconds { get; set; } = 0.5;

    /// <summary>The clock for real-time pacing. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal AudioFormat Validate()
    {
        var format = AudioOptionChecks.Format(SampleRate, Channels);
        var nyquist = SampleRate / 2.0;
        if (!Enum.IsDefined(Waveform))
        {
            throw new ArgumentOutOfRangeException(nameof(Waveform), Waveform, $"Waveform is {Waveform}; it must be one of {string.Join(", ", Enum.GetNames<SignalWaveform>())}.");
        }

        // Only the settings of the chosen waveform are checked: a 8 kHz noise generator need not lower SweepEndHz.
        AudioOptionChecks.Range(nameof(LevelDbfs), LevelDbfs, -200, 0, "dBFS");
        if (Waveform is SignalWaveform.Sine or SignalWaveform.Demo)
        {
            AudioOptionChecks.Range(nameof(FrequencyHz), FrequencyHz, double.Epsilon, nyquist - 1e-9, "Hz", $"above 0 and below the Nyquist frequency ({nyquist} Hz)");
        }

        if (Waveform == SignalWaveform.Sweep)
        {
            AudioOptionChecks.Range(nameof(SweepEndHz), SweepEndHz, double.Epsilon, nyquist, "Hz", $"above 0 and at most the Nyquist frequency ({nyquist} Hz)");
            AudioOptionChecks.Range(nameof(SweepStartHz), SweepStartHz, double.Epsilon, SweepEndHz - 1e-9, "Hz", $"above 0 and below SweepEndHz ({SweepEndHz} Hz)");
            AudioOptionChecks.Range(nameof(SweepDurationSeconds), SweepDurationSeconds, 0.01, 3600, "s");
        }

        if (Waveform is SignalWaveform.Burst or SignalWaveform.Demo)
        {
            AudioOptionChecks.Range(nameof(BurstIntervalSeconds), BurstIntervalSeconds, 0.001, 3600, "s");
        }

        AudioOptionChecks.Range(nameof(InterChannelDelaySeconds), InterChannelDelaySeconds, 0, 1, "s");
        AudioOptionChecks.Range(nameof(MaxLagSeconds), MaxLagSeconds, 0.01, 60, "s");
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        return format;
    }
}
