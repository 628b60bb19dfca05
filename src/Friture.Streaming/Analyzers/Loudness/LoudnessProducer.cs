using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Loudness;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.Loudness;

/// <summary>
/// Loudness meter after ITU-R BS.1770-4 and EBU R128: momentary (400 ms), short-term (3 s) and gated integrated loudness
/// in LUFS, loudness range (EBU Tech 3342) in LU, true peak in dBTP and sample peak in dBFS, per programme.
/// </summary>
/// <remarks>
/// <para>
/// K-weighting is designed for the input's sample rate (any rate, not only 48 kHz); channels are weighted as in
/// BS.1770-4 (<see cref="LoudnessOptions.ChannelWeights"/>); the true peak is the peak of the signal oversampled at
/// least 4 times by a polyphase interpolator (annex 2). The integrated loudness and loudness range are kept in bounded
/// histograms, so a programme may run for days at constant memory. Checked against libebur128 and ffmpeg's
/// <c>ebur128</c> filter, and against the EBU Tech 3341 and 3342 test signals (see <c>docs/analyzers-loudness.md</c>).
/// </para>
/// <para>
/// The programme starts when the producer becomes active and runs until <see cref="ResetProgramme"/> (or the producer
/// goes idle). A result is ready after every block; the default rate limit is 10 messages per second.
/// </para>
/// <para>Allocation: state is allocated in <see cref="Initialize"/>; <see cref="ProcessBlock"/> does not allocate.</para>
/// </remarks>
public sealed class LoudnessProducer : DataProducer
{
    private readonly LoudnessOptions _options;
    private LoudnessMeter? _meter;
    private AudioFormat _format;
    private int _resetRequested;

    /// <summary>Creates the producer with default options.</summary>
    public LoudnessProducer()
        : this(new LoudnessOptions())
    {
    }

    /// <summary>Creates the producer.</summary>
    /// <param name="options">Settings; validated now and copied.</param>
    /// <param name="producerId">Optional producer identifier.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public LoudnessProducer(LoudnessOptions options, string? producerId = null)
        : base(producerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public LoudnessOptions Options => _options.Clone();

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.Loudness;

    /// <summary>
    /// Starts a new programme: integrated loudness, loudness range, maxima, peaks and duration start again from the next
    /// block. Thread-safe: may be called from any thread while audio flows; the capture thread applies it.
    /// </summary>
    public void ResetProgramme() => Volatile.Write(ref _resetRequested, 1);

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        _format = format;
        Span<double> weights = stackalloc double[format.Channels];
        ChannelWeights.Standard(weights);
        if (_options.ChannelWeights is { } given)
        {
            for (var c = 0; c < Math.Min(given.Count, weights.Length); c++)
            {
                weights[c] = given[c];
            }
        }

        _meter = new LoudnessMeter(format.SampleRate, weights, rangeStepSteps: 10 / _options.RangeBlocksPerSecond);
        Volatile.Write(ref _resetRequested, 0);
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        if (_meter is null || block.Format != _format)
        {
            Initialize(block.Format);
        }

        var meter = _meter!;
        ApplyPendingReset(meter);
        meter.Process(block.Samples[..(block.FrameCount * _format.Channels)]);
        return true;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (_meter is not { } meter)
        {
            return null;
        }

        ApplyPendingReset(meter);
        var channels = meter.Channels;
        var truePeaks = new float?[channels];
        var samplePeaks = new float?[channels];
        var truePeak = 0.0;
        var samplePeak = 0.0;
        for (var c = 0; c < channels; c++)
        {
            truePeaks[c] = (float?)ToDb(meter.TruePeak(c));
            samplePeaks[c] = (float?)ToDb(meter.SamplePeak(c));
            truePeak = Math.Max(truePeak, meter.TruePeak(c));
            samplePeak = Math.Max(samplePeak, meter.SamplePeak(c));
        }

        return new LoudnessData
        {
            MomentaryLufs = meter.MomentaryLufs,
            ShortTermLufs = meter.ShortTermLufs,
            IntegratedLufs = meter.IntegratedLufs,
            LoudnessRangeLu = meter.LoudnessRangeLu,
            TruePeakDbtp = ToDb(truePeak),
            SamplePeakDbfs = ToDb(samplePeak),
            MaxMomentaryLufs = meter.MaxMomentaryLufs,
            MaxShortTermLufs = meter.MaxShortTermLufs,
            DurationSeconds = meter.DurationSeconds,
            TruePeakDbtpPerChannel = ImmutableCollectionsMarshal.AsImmutableArray(truePeaks),
            SamplePeakDbfsPerChannel = ImmutableCollectionsMarshal.AsImmutableArray(samplePeaks),
        };
    }

    /// <inheritdoc/>
    protected internal override void Reset() => _meter?.Reset();

    private static double? ToDb(double amplitude) => amplitude > 0 ? 20.0 * Math.Log10(amplitude) : null;

    private void ApplyPendingReset(LoudnessMeter meter)
    {
        if (Interlocked.Exchange(ref _resetRequested, 0) != 0)
        {
            meter.ResetProgramme();
        }
    }
}
