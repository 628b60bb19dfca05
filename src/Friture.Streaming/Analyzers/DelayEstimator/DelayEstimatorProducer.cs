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
/// the polarity. <c>confidence</c> is 1 minus the ratio of the largest correlation value outside the main peak to the
/// peak: near 1 for a clear delay, near 0 for unrelated channels, when polarity reads <c>unknown</c> below 0.05.
/// </para>
/// <para>One result per hop (half of a frame of twice the range). Allocation: buffers in <see cref="Initialize"/>;
/// <see cref="ProcessBlock"/> allocates nothing.</para>
/// </remarks>
public sealed class DelayEstimatorProducer : DataProducer
{
    private readonly DelayEstimatorOptions _options;
    private GccPhatEstimator? _estimator;
    private int _sampleRate;
    private DelayEstimate _last;
    private double _resultTime;

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
        if (Math.Max(_options.FirstChannel, _options.SecondChannel) > format.Channels)
        {
            var name = _options.FirstChannel > format.Channels ? nameof(DelayEstimatorOptions.FirstChannel) : nameof(DelayEstimatorOptions.SecondChannel);
            var value = Math.Max(_options.FirstChannel, _options.SecondChannel);
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}, but the input has {format.Channels} channel(s).");
        }

        _sampleRate = format.SampleRate;
        var maxLag = (int)Math.Ceiling(_options.MaxDelayMs * format.SampleRate / 1000.0);
        _estimator = new GccPhatEstimator(format.SampleRate, maxLag);
        _last = default;
        _resultTime = 0;
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        var estimator = _estimator;
        if (estimator is null || block.Format.SampleRate != _sampleRate)
        {
            Initialize(block.Format);
            estimator = _estimator!;
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
        if (_estimator is null)
        {
            return null;
        }

        var e = _last;
        var seconds = e.DelaySamples / _sampleRate;
        var polarity = e.Confidence < 0.05 || e.CorrelationPeak == 0
            ? Polarity.Unknown
            : e.CorrelationPeak > 0 ? Polarity.InPhase : Polarity.Reversed;
        return new DelayEstimatorData
        {
            DelayMs = seconds * 1000,
            DelaySamples = e.DelaySamples,
            Confidence = e.Confidence,
            CorrelationPeak = e.CorrelationPeak,
            Polarity = polarity,
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
