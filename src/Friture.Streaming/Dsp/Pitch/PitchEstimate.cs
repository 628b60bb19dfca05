namespace Friture.Streaming.Dsp.Pitch;

/// <summary>Result of one pitch analysis frame.</summary>
/// <param name="FrequencyHz">Best period candidate as a frequency in Hz (also reported for unvoiced frames; the caller decides), or 0 when the frame is silent.</param>
/// <param name="Confidence">1 minus YIN's cumulative-mean-normalised difference at the chosen period, clamped to 0..1, times how unambiguous the period is (0 when a sub-multiple or multiple of it is as periodic).</param>
/// <param name="Clarity">Normalised autocorrelation at the chosen period, <c>2 r(T) / (r_0(0) + r_T(0))</c>, clamped to 0..1: the share of periodic (harmonic) power.</param>
/// <param name="RmsLevel">RMS of the frame, linear (1.0 = full-scale DC).</param>
internal readonly record struct PitchEstimate(double FrequencyHz, double Confidence, double Clarity, double RmsLevel);
