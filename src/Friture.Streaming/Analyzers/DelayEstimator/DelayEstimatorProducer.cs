using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Delay;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.DelayEstimator;

/// <summary>
/// Delay, polarity and distance between two channels (<see cref="DataType.DelayEstimator"/>) by GCC-PHAT.
/// </summary>
/// <remarks>
/// <para>
/// A positive delay means <see cref="DelayEstimatorOptions.SecondChannel"/> lags
/// <see cref="DelayEstimatorOptions.FirstChannel"/>. <c>delay_samples</c> is in input-rate samples with a parabolic
/// sub-sample fraction; <c>delay_ms</c> and <c>distance_m</c> (delay times the speed of sound) follow from it.
/// <c>correlation_peak</c> is the signed PHAT correlation at the peak (near 1 for a clean delayed copy); its sign gives
/// the polarity. <c>confidence</c> is the lower of the peak's margin over the rest of the correlation (the lowest of
/// three margins, rescaled below 0.5) and the precision of its sub-sample vertex: near 1 for a clear delay, near 0 for unrelated channels, when polarity
/// reads <c>unknown</c> below 0.05. At 0.3 or more the delay is within 1 sample on speech at 0 and 10 dB SNR
/// (docs/analyzers-bands.md).
/// </para>
/// <para>
/// On an input with fewer channels than <see cref="DelayEstimatorOptions.FirstChannel"/> or
/// <see cref="DelayEstimatorOptions.SecondChannel"/> (a mono input) the estimator is inactive: it publishes one message
/// whose <see cref="DelayEstimatorData.InactiveReason"/> says why, then nothing, instead of failing on every block.
/// Delay fields are <see langword="null"/> on silence and when the confidence is below 0.05.
/// </para>
/// <para>One result per hop (half of a frame of twice the range). Allocation: buffers in <see cref="Initialize"/>;
/// <see cref="ProcessBlock"/> allocates nothing.</para>
/// </remarks>
public sealed class DelayEstimatorProducer : DataProducer
{
    private const double NoSignalConfidence = 0.05;

    private readonly DelayEstimatorOptions _options;
    private GccPhatEstimator? _estimator;
    private int _sampleRate;
    private DelayEstimate _last;
    private double _resultTime;
    private string? _inactiveReason;
    private bool _inactiveReported;

    /// <summary>Creates a producer with default settings (channels 1 and 2, 1 s range, 343 m/s).</summary>
    public DelayEstimatorProducer()
        : this(new DelayEstimatorOptions())
    {
    }

    /// <summary>Creates a producer.</summary>
    /// <param name="options">The settings; copied and validated here.</param>
    /// <param name="producerId">Identifier for metadata, or <see langword="null"/> for a generated one.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public DelayEstimatorProducer(DelayEstimatorOptions options, string? producerId = null)
        : base(producerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public DelayEstimatorOptions Options => _options.Clone();

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.DelayEstimator;

    /// <inheritdoc/>
    protected internal override double? ResultStreamTime => _resultTime;

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        _sampleRate = format.SampleRate;
        _last = default;
        _resultTime = 0;
        _inactiveReported = false;
        if (Math.Max(_options.FirstChannel, _options.SecondChannel) > format.Channels)
        {
            _inactiveReason = InactiveReasonFor(_options, format.Channels);
            _estimator = null;
            return;
        }

        _inactiveReason = null;
        var maxLag = (int)Math.Ceiling(_options.MaxDelayMs * format.SampleRate / 1000.0);
        _estimator = new GccPhatEstimator(format.SampleRate, maxLag);
    }

    /// <summary>The notice for an input with too few channels, or <see langword="null"/> when the input has enough.</summary>
    /// <param name="options">The estimator's settings.</param>
    /// <param name="channels">The input's channel count.</param>
    /// <returns>One sentence naming the channels and the fix, or <see langword="null"/>.</returns>
    public static string? InactiveReasonFor(DelayEstimatorOptions options, int channels)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(options.FirstChannel, options.SecondChannel) <= channels
            ? null
            : $"inactive: the input has {channels} channel{(channels == 1 ? string.Empty : "s")}; the delay estimator compares channels {options.FirstChannel} and {options.SecondChannel}, so it needs a multichannel input (for capture: --channels 2)";
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        if (_inactiveReason is not null)
        {
            // One message says why, then silence: no per-block errors.
            if (_inactiveReported)
            {
                return false;
            }

            _inactiveReported = true;
            _resultTime = block.EndTime;
            return true;
        }

        var estimator = _estimator;
        if (estimator is null || block.Format.SampleRate != _sampleRate)
        {
            Initialize(block.Format);
            estimator = _estimator;
            if (estimator is null)
            {
                return false;
            }
        }

        var channels = block.Format.Channels;
        var c1 = _options.FirstChannel - 1;
        var c2 = _options.SecondChannel - 1;
        var samples = block.Samples;
        var frames = block.FrameCount;
        var ready = false;
        var offset = 0;
        while (offset < frames)
        {
            offset += estimator.WriteFrames(samples[(offset * channels)..], channels, c1, c2);
            if (estimator.FrameReady)
            {
                _last = estimator.Compute();
                _resultTime = (double)(block.FirstFrameIndex + offset) / _sampleRate;
                ready = true;
            }
        }

        return ready;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (_inactiveReason is { } reason)
        {
            return new DelayEstimatorData { InactiveReason = reason, Polarity = Polarity.Unknown };
        }

        if (_estimator is null)
        {
            return null;
        }

        var e = _last;
        if (e.Confidence < NoSignalConfidence || e.CorrelationPeak == 0)
        {
            // Silence or no coherent signal: the correlation's maximum is an artefact (for silence, the range's edge).
            return new DelayEstimatorData { Confidence = e.Confidence, Polarity = Polarity.Unknown };
        }

        var seconds = e.DelaySamples / _sampleRate;
        return new DelayEstimatorData
        {
            DelayMs = seconds * 1000,
            DelaySamples = e.DelaySamples,
            Confidence = e.Confidence,
            CorrelationPeak = e.CorrelationPeak,
            Polarity = e.CorrelationPeak > 0 ? Polarity.InPhase : Polarity.Reversed,
            DistanceM = seconds * _options.SpeedOfSound,
        };
    }

    /// <inheritdoc/>
    protected internal override void Reset()
    {
        _estimator?.Reset();
        _last = default;
    }
}
