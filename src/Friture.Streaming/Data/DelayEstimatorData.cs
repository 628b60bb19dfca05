namespace Friture.Streaming.Data;

/// <summary>Delay between two channels (the Friture "Delay Estimator" dock).</summary>
/// <remarks>Wire name <c>delay_estimator</c>. A positive delay means the second selected channel lags the first.</remarks>
public sealed record DelayEstimatorData : StreamingPayload
{
    /// <summary>Delay in milliseconds.</summary>
    public double DelayMs { get; init; }

    /// <summary>Delay in samples at the input sample rate, with a sub-sample fraction.</summary>
    public double DelaySamples { get; init; }

    /// <summary>Confidence, 0 to 1.</summary>
    public double Confidence { get; init; }

    /// <summary>Height of the (PHAT-whitened) cross-correlation peak, signed; 0 to 1 in magnitude.</summary>
    public double CorrelationPeak { get; init; }

    /// <summary>Relative polarity of the channels.</summary>
    public Polarity Polarity { get; init; }

    /// <summary>Delay converted to a distance with the configured speed of sound, in metres.</summary>
    public double DistanceM { get; init; }
}
