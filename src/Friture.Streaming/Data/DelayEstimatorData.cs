namespace Friture.Streaming.Data;

/// <summary>Delay between two channels (the Friture "Delay Estimator" dock).</summary>
/// <remarks>
/// Wire name <c>delay_estimator</c>. A positive delay means the second selected channel lags the first. The delay fields
/// are <see langword="null"/> when there is nothing to measure: digital silence, no coherent signal (confidence below
/// 0.05), or an input with fewer channels than the estimator compares (then <see cref="InactiveReason"/> says why).
/// </remarks>
public sealed record DelayEstimatorData : StreamingPayload
{
    /// <summary>Delay in milliseconds, or <see langword="null"/> when there is no coherent signal to measure.</summary>
    public double? DelayMs { get; init; }

    /// <summary>Delay in samples at the input sample rate, with a sub-sample fraction, or <see langword="null"/> (see <see cref="DelayMs"/>).</summary>
    public double? DelaySamples { get; init; }

    /// <summary>Confidence, 0 to 1 (0 for silence or an inactive estimator).</summary>
    public double Confidence { get; init; }

    /// <summary>Height of the (PHAT-whitened) cross-correlation peak, signed, -1 to 1, or <see langword="null"/> (see <see cref="DelayMs"/>).</summary>
    public double? CorrelationPeak { get; init; }

    /// <summary>Relative polarity of the channels (<see cref="Polarity.Unknown"/> when there is no coherent signal).</summary>
    public Polarity Polarity { get; init; }

    /// <summary>Delay converted to a distance with the configured speed of sound, in metres, or <see langword="null"/> (see <see cref="DelayMs"/>).</summary>
    public double? DistanceM { get; init; }

    /// <summary>
    /// Why the estimator measures nothing (for example <c>the input has 1 channel; the delay estimator compares channels 1
    /// and 2</c>), or <see langword="null"/> while it is active.
    /// </summary>
    public string? InactiveReason { get; init; }
}
