using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
/// Detectors run per sample in double precision, two channels at a time in the lanes of a <see cref="Vector128{T}"/>: RMS is the square root of an exponential mean square with time
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
    private float[] _weighted = [];
    private double[] _blockPeak = [];
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
    private string _weightingName = string.Empty;
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

        // Detector state is read and written two channels at a time: one spare element for an odd channel count.
        var lanes = (channels + 1) & ~1;
        _meanSquare = new double[lanes];
        _impulseHold = new double[lanes];
        _peakEnvelope = new double[lanes];
        _peakSinceMessage = new double[lanes];
        _peakHold = new double[channels];
        _holdAge = new double[channels];
        _energySinceMessage = new double[lanes];
        _maxMeanSquareSinceMessage = new double[lanes];
        _blockPeak = new double[lanes];
        _samplesSinceMessage = 0;
        var labels = new string[channels];
        for (var c = 0; c < channels; c++)
        {
            labels[c] = "ch" + (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _labels = ImmutableCollectionsMarshal.AsImmutableArray(labels);
        _weightingName = _options.Weighting.ToString();
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
        var channels = _format.Channels;
        var samples = block.Samples[..(frames * channels)];
        if (_options.Weighting != FrequencyWeighting.Z)
        {
            samples = Weight(samples, channels, frames);
        }

        var impulse = _options.TimeWeighting == LevelTimeWeighting.Impulse;
        for (var c = 0; c < channels; c += 2)
        {
            if (c + 1 < channels)
            {
                if (impulse)
                {
                    Detect<AdjacentPair, ImpulseHold>(c, samples, channels);
                }
                else
                {
                    Detect<AdjacentPair, NoHold>(c, samples, channels);
                }
            }
            else if (impulse)
            {
                Detect<SingleChannel, ImpulseHold>(c, samples, channels);
            }
            else
            {
                Detect<SingleChannel, NoHold>(c, samples, channels);
            }
        }

        var blockSeconds = (double)frames / _format.SampleRate;
        for (var c = 0; c < channels; c++)
        {
            UpdatePeakHold(c, _blockPeak[c], blockSeconds);
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
            Weighting = _weightingName,
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

    /// <summary>Runs the A or C filter of every channel into an interleaved scratch block.</summary>
    private ReadOnlySpan<float> Weight(ReadOnlySpan<float> samples, int channels, int frames)
    {
        if (_scratch.Length < frames)
        {
            _scratch = new float[frames];
        }

        if (_weighted.Length < samples.Length)
        {
            _weighted = new float[samples.Length];
        }

        var x = _scratch.AsSpan(0, frames);
        var weighted = _weighted.AsSpan(0, samples.Length);
        for (var c = 0; c < channels; c++)
        {
            for (var i = 0; i < frames; i++)
            {
                x[i] = samples[(i * channels) + c];
            }

            _filters[c].Process(x, x);
            for (var i = 0; i < frames; i++)
            {
                weighted[(i * channels) + c] = x[i];
            }
        }

        return weighted;
    }

    /// <summary>
    /// The per-sample detectors of channels <paramref name="c"/> and <paramref name="c"/> + 1 (or of channel c alone,
    /// in both lanes, when it is the last of an odd count), with all state in registers.
    /// </summary>
    /// <remarks>
    /// Each detector is one short dependency chain per sample (an FMA, or a multiply and a max), so the loop runs at the
    /// latency of those chains, for two channels at once; the choices that do not depend on the sample are made
    /// outside the loop (the type arguments). <see cref="Vector128.MaxNative{T}"/> is a plain comparison: the detectors
    /// never see NaN from finite audio, and IEEE max's NaN and signed-zero rules cost several instructions inside the
    /// chains.
    /// </remarks>
    private void Detect<TLoad, THold>(int c, ReadOnlySpan<float> samples, int channels)
        where TLoad : struct, ISampleLoad
        where THold : struct, IHoldMode
    {
        var ms = Vector128.LoadUnsafe(ref _meanSquare[c]);
        var hold = Vector128.LoadUnsafe(ref _impulseHold[c]);
        var envelope = Vector128.LoadUnsafe(ref _peakEnvelope[c]);
        var maxMs = Vector128.LoadUnsafe(ref _maxMeanSquareSinceMessage[c]);
        var rise = Vector128.Create(_riseCoefficient);
        var keep = Vector128.Create(1.0 - _riseCoefficient);
        var decay = Vector128.Create(_impulseDecay);
        var release = Vector128.Create(_peakReleaseCoefficient);
        var energy = Vector128<double>.Zero;
        var blockPeak = Vector128<double>.Zero;
        ref var first = ref Unsafe.Add(ref MemoryMarshal.GetReference(samples), c);
        var end = samples.Length - c;
        for (var i = 0; i < end; i += channels)
        {
            var v = TLoad.Load(ref Unsafe.Add(ref first, i));
            var square = v * v;
            energy += square;
            ms = Vector128.FusedMultiplyAdd(ms, keep, rise * square);
            if (THold.Impulse)
            {
                hold = Vector128.MaxNative(ms, hold * decay);
                maxMs = Vector128.MaxNative(maxMs, hold);
            }
            else
            {
                maxMs = Vector128.MaxNative(maxMs, ms);
            }

            var magnitude = Vector128.Abs(v);
            envelope = Vector128.MaxNative(magnitude, envelope * release);
            blockPeak = Vector128.MaxNative(blockPeak, magnitude);
        }

        ms.StoreUnsafe(ref _meanSquare[c]);
        hold.StoreUnsafe(ref _impulseHold[c]);
        envelope.StoreUnsafe(ref _peakEnvelope[c]);
        maxMs.StoreUnsafe(ref _maxMeanSquareSinceMessage[c]);
        (Vector128.LoadUnsafe(ref _energySinceMessage[c]) + energy).StoreUnsafe(ref _energySinceMessage[c]);

        // The envelope's highest value in the block is the block's sample peak (attack is instant).
        Vector128.MaxNative(Vector128.LoadUnsafe(ref _peakSinceMessage[c]), blockPeak).StoreUnsafe(ref _peakSinceMessage[c]);
        blockPeak.StoreUnsafe(ref _blockPeak[c]);
    }

    private void UpdatePeakHold(int c, double blockPeak, double blockSeconds)
    {
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

    /// <summary>How a detector reads one frame's sample(s) for its two lanes.</summary>
    private interface ISampleLoad
    {
        static abstract Vector128<double> Load(ref float sample);
    }

    /// <summary>Whether the RMS value is followed by the I (impulse) hold.</summary>
    private interface IHoldMode
    {
        static abstract bool Impulse { get; }
    }

    /// <summary>Two adjacent channels: one 64-bit load, widened to two doubles.</summary>
    private readonly struct AdjacentPair : ISampleLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Load(ref float sample) =>
            Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref sample))).AsSingle());
    }

    /// <summary>One channel in both lanes (the second lane's results are not used).</summary>
    private readonly struct SingleChannel : ISampleLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<double> Load(ref float sample) => Vector128.Create((double)sample);
    }

    private readonly struct ImpulseHold : IHoldMode
    {
        public static bool Impulse => true;
    }

    private readonly struct NoHold : IHoldMode
    {
        public static bool Impulse => false;
    }
}
