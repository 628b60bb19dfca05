using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.Levels;

/// <summary>
/// Level meter for every input channel (Friture's "Levels" dock): sample peak, time-weighted RMS, peak hold, and the
/// equivalent (Leq) and maximum (Lmax) levels since the previous message, all in dBFS.
/// </summary>
/// <remarks>
/// <para>
/// Units: dBFS, where 0 dBFS is a full-scale sample; a full-scale sine reads 0.00 dBFS peak and -3.01 dBFS RMS. Levels
/// are floored at <see cref="Decibels.Floor"/>. With A or C weighting, the signal is filtered first (bilinear IEC 61672-1
/// filters, class 1) and every detector sees the weighted signal.
/// </para>
/// <para>
/// Detectors run per sample in double precision: RMS is the square root of an exponential mean square with time
/// constant F = 125 ms, S = 1 s or Friture's 300 ms; I is a 35 ms average followed by a hold that decays with a 1.5 s time constant (2.9 dB/s), as in IEC 60651; the peak envelope has an instant
/// attack and an exponential release; peak hold keeps the highest peak for the hold time, then falls at the fall rate
/// (updated once per block). Leq is the mean square over every sample since the previous message; Lmax the highest RMS
/// value over the same samples. A result is ready after every block.
/// </para>
/// <para>Allocation: state is allocated in <see cref="Initialize"/>; <see cref="ProcessBlock"/> does not allocate.</para>
/// </remarks>
public sealed class LevelsProducer : DataProducer
{
    private readonly LevelsOptions _options;
    private AudioFormat _format;
    private WeightingFilter[] _filters = [];
    private float[] _scratch = [];
    private double[] _meanSquare = [];
    private double[] _impulseHold = [];
    private double[] _peakEnvelope = [];
    private double[] _peakSinceMessage = [];
    private double[] _peakHold = [];
    private double[] _holdAge = [];
    private double[] _energySinceMessage = [];
    private double[] _maxMeanSquareSinceMessage = [];
    private long _samplesSinceMessage;
    private ImmutableArray<string> _labels = [];
    private double _riseCoefficient;
    private double _impulseDecay;
    private double _peakReleaseCoefficient;
    private bool _initialized;

    /// <summary>Creates the producer with default options.</summary>
    public LevelsProducer()
        : this(new LevelsOptions())
    {
    }

    /// <summary>Creates the producer.</summary>
    /// <param name="options">Settings; validated now and copied.</param>
    /// <param name="producerId">Optional producer identifier.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public LevelsProducer(LevelsOptions options, string? producerId = null)
        : base(producerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public LevelsOptions Options => _options.Clone();

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.Levels;

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        _format = format;
        var channels = format.Channels;
        _filters = new WeightingFilter[channels];
        for (var c = 0; c < channels; c++)
        {
            _filters[c] = new WeightingFilter(_options.Weighting, format.SampleRate);
        }

        _scratch = new float[Math.Max(_scratch.Length, 4096)];
        _meanSquare = new double[channels];
        _impulseHold = new double[channels];
        _peakEnvelope = new double[channels];
        _peakSinceMessage = new double[channels];
        _peakHold = new double[channels];
        _holdAge = new double[channels];
        _energySinceMessage = new double[channels];
        _maxMeanSquareSinceMessage = new double[channels];
        _samplesSinceMessage = 0;
        var labels = new string[channels];
        for (var c = 0; c < channels; c++)
        {
            labels[c] = "ch" + (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _labels = ImmutableCollectionsMarshal.AsImmutableArray(labels);
        double fs = format.SampleRate;
        _riseCoefficient = 1.0 - Math.Exp(-1.0 / (_options.RiseTime * fs));
        _impulseDecay = _options.TimeWeighting == LevelTimeWeighting.Impulse ? Math.Exp(-1.0 / (_options.FallTime * fs)) : 1.0;
        _peakReleaseCoefficient = _options.PeakReleaseTime <= 0 ? 0.0 : Math.Exp(-1.0 / (_options.PeakReleaseTime * fs));
        _initialized = true;
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        if (!_initialized || block.Format != _format)
        {
            Initialize(block.Format);
        }

        var frames = block.FrameCount;
        if (_scratch.Length < frames)
        {
            _scratch = new float[frames];
        }

        var channels = _format.Channels;
        var samples = block.Samples;
        var x = _scratch.AsSpan(0, frames);
        var blockSeconds = (double)frames / _format.SampleRate;
        for (var c = 0; c < channels; c++)
        {
            for (var i = 0; i < frames; i++)
            {
                x[i] = samples[(i * channels) + c];
            }

            _filters[c].Process(x, x);
            ProcessChannel(c, x, blockSeconds);
        }

        _samplesSinceMessage += frames;
        return true;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (!_initialized)
        {
            return null;
        }

        var channels = _format.Channels;
        var peak = new float[channels];
        var rms = new float[channels];
        var hold = new float[channels];
        var leq = new float[channels];
        var max = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            peak[c] = Decibels.FromAmplitude(_peakSinceMessage[c]);
            rms[c] = Decibels.FromPower(Level(c));
            hold[c] = Decibels.FromAmplitude(_peakHold[c]);
            leq[c] = _samplesSinceMessage > 0 ? Decibels.FromPower(_energySinceMessage[c] / _samplesSinceMessage) : rms[c];
            max[c] = _samplesSinceMessage > 0 ? Decibels.FromPower(_maxMeanSquareSinceMessage[c]) : rms[c];
            _peakSinceMessage[c] = _peakEnvelope[c];
            _energySinceMessage[c] = 0;
            _maxMeanSquareSinceMessage[c] = 0;
        }

        _samplesSinceMessage = 0;
        return new LevelsData
        {
            PeakLevelsDb = ImmutableCollectionsMarshal.AsImmutableArray(peak),
            RmsLevelsDb = ImmutableCollectionsMarshal.AsImmutableArray(rms),
            PeakHoldLevelsDb = ImmutableCollectionsMarshal.AsImmutableArray(hold),
            LeqLevelsDb = ImmutableCollectionsMarshal.AsImmutableArray(leq),
            MaxLevelsDb = ImmutableCollectionsMarshal.AsImmutableArray(max),
            ChannelLabels = _labels,
            Weighting = _options.Weighting.ToString(),
            IntegrationTime = _options.RiseTime,
            PeakHoldTime = _options.PeakHoldTime,
        };
    }

    /// <inheritdoc/>
    protected internal override void Reset()
    {
        if (!_initialized)
        {
            return;
        }

        foreach (var filter in _filters)
        {
            filter.Reset();
        }

        Array.Clear(_meanSquare);
        Array.Clear(_impulseHold);
        Array.Clear(_peakEnvelope);
        Array.Clear(_peakSinceMessage);
        Array.Clear(_peakHold);
        Array.Clear(_holdAge);
        Array.Clear(_energySinceMessage);
        Array.Clear(_maxMeanSquareSinceMessage);
        _samplesSinceMessage = 0;
    }

    // Mean square as displayed: for I, the 35 ms average held by a detector that decays with a 1.5 s time constant.
    private double Level(int c) => _options.TimeWeighting == LevelTimeWeighting.Impulse ? _impulseHold[c] : _meanSquare[c];

    private void ProcessChannel(int c, ReadOnlySpan<float> x, double blockSeconds)
    {
        var ms = _meanSquare[c];
        var hold = _impulseHold[c];
        var impulse = _options.TimeWeighting == LevelTimeWeighting.Impulse;
        var envelope = _peakEnvelope[c];
        var peak = _peakSinceMessage[c];
        var maxMs = _maxMeanSquareSinceMessage[c];
        var energy = 0.0;
        var blockPeak = 0.0;
        var rise = _riseCoefficient;
        var keep = 1.0 - rise;
        var decay = _impulseDecay;
        var release = _peakReleaseCoefficient;

        // Each detector is one short dependency chain per sample (an FMA, or a multiply and a max), so the loop runs at
        // the latency of those chains; the choices that do not depend on the sample are made outside the loop.
        if (impulse)
        {
            for (var i = 0; i < x.Length; i++)
            {
                double v = x[i];
                var square = v * v;
                energy += square;
                ms = Math.FusedMultiplyAdd(ms, keep, rise * square);
                hold = Math.Max(ms, hold * decay);
                maxMs = Math.Max(maxMs, hold);
                var magnitude = Math.Abs(v);
                envelope = Math.Max(magnitude, envelope * release);
                blockPeak = Math.Max(blockPeak, magnitude);
            }
        }
        else
        {
            for (var i = 0; i < x.Length; i++)
            {
                double v = x[i];
                var square = v * v;
                energy += square;
                ms = Math.FusedMultiplyAdd(ms, keep, rise * square);
                maxMs = Math.Max(maxMs, ms);
                var magnitude = Math.Abs(v);
                envelope = Math.Max(magnitude, envelope * release);
                blockPeak = Math.Max(blockPeak, magnitude);
            }
        }

        // The envelope's highest value in the block is the block's sample peak (attack is instant).
        peak = Math.Max(peak, blockPeak);

        _meanSquare[c] = ms;
        _impulseHold[c] = hold;
        _peakEnvelope[c] = envelope;
        _peakSinceMessage[c] = peak;
        _maxMeanSquareSinceMessage[c] = maxMs;
        _energySinceMessage[c] += energy;

        if (blockPeak >= _peakHold[c])
        {
            _peakHold[c] = blockPeak;
            _holdAge[c] = 0;
        }
        else
        {
            var age = _holdAge[c] + blockSeconds;
            var falling = Math.Min(blockSeconds, age - _options.PeakHoldTime);
            if (falling > 0)
            {
                _peakHold[c] = Math.Max(blockPeak, _peakHold[c] * Math.Pow(10.0, -_options.PeakHoldFallRate * falling / 20.0));
            }

            _holdAge[c] = age;
        }
    }
}
