namespace Friture.Streaming.Dsp.Delay;

/// <summary>Result of one GCC-PHAT frame.</summary>
/// <param name="DelaySamples">Delay of the second signal behind the first, in input-rate samples, with a sub-sample fraction.</param>
/// <param name="CorrelationPeak">Signed value of the (smoothed) PHAT correlation at the peak, -1 to 1.</param>
/// <param name="Confidence">1 minus the ratio of the largest secondary peak to the main one, 0 to 1.</param>
internal readonly record struct DelayEstimate(double DelaySamples, double CorrelationPeak, double Confidence);
