namespace Friture.Streaming.Dsp.Delay;

/// <summary>Result of one GCC-PHAT frame.</summary>
/// <param name="DelaySamples">Delay of the second signal behind the first, in input-rate samples, with a sub-sample fraction.</param>
/// <param name="CorrelationPeak">Signed value of the (smoothed) PHAT correlation at the peak, -1 to 1.</param>
/// <param name="Confidence">0 to 1: the lower of the peak's margin (over secondary peaks, an opposite-sign lobe and chance; rescaled below 0.5) and the precision of its interpolated vertex (see <see cref="GccPhatEstimator"/>).</param>
internal readonly record struct DelayEstimate(double DelaySamples, double CorrelationPeak, double Confidence);
