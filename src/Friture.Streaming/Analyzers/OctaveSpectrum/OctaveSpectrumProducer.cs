using System.Collections.Immutable;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Filters;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.OctaveSpectrum;

/// <summary>
/// Octave and fractional-octave band levels (<see cref="DataType.OctaveSpectrum"/>), from a multirate IIR filter bank
/// whose 1/1- and 1/3-octave filters meet the IEC 61260-1 class 1 relative-attenuation mask.
/// </summary>
/// <remarks>
/// <para>
/// Bands: IEC 61260-1 exact mid-band frequencies (base 10 by default) and nominal labels between
/// <see cref="OctaveSpectrumOptions.MinFrequency"/> and <see cref="OctaveSpectrumOptions.MaxFrequency"/>. Each band's
/// filter output power is averaged exponentially with <see cref="OctaveSpectrumOptions.ResponseTime"/> (updated once per
/// block), multiplied by the weighting's power gain at the exact mid-band frequency, and reported in dBFS: a full-scale
/// sine at a band's mid-band frequency reads -3.01 dB in that band. The overall level is the sum of the band powers.
/// </para>
/// <para>Every block yields a result. Allocation: buffers are allocated in <see cref="Initialize"/>;
/// <see cref="ProcessBlock"/> allocates nothing; <see cref="ExtractData"/> allocates the payload's level array.</para>
/// </remarks>
public sealed class OctaveSpectrumProducer : DataProducer
{
    private const int ChunkFrames = 4096;

    private readonly OctaveSpectrumOptions _options;
    private OctaveFilterBank? _bank;
    private float[] _mono = [];
    private double[] _meanSquares = [];
    private double[] _power = [];
    private double[] _weights = [];
    private ImmutableArray<float> _centres = [];
    private ImmutableArray<float> _lowers = [];
    private ImmutableArray<float> _uppers = [];
    private ImmutableArray<string> _labels = [];
    private int _sampleRate;
    private int _alphaFrames = -1;
    private double _alpha;
    private bool _primed;

    /// <summary>Creates a producer with default settings (one-third octave, base 10, 20 Hz to 20 kHz, Z, 1 s).</summary>
    public OctaveSpectrumProducer()
        : this(new OctaveSpectrumOptions())
    {
    }

    /// <summary>Creates a producer.</summary>
    /// <param name="options">The settings; copied and validated here.</param>
    /// <param name="producerId">Identifier for metadata, or <see langword="null"/> for a generated one.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public OctaveSpectrumProducer(OctaveSpectrumOptions options, string? producerId = null)
        : base(producerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public OctaveSpectrumOptions Options => _options.Clone();

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.OctaveSpectrum;

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        _options.Channel.Validate(format, nameof(OctaveSpectrumOptions.Channel));
        _sampleRate = format.SampleRate;
        var bands = FractionalOctaveBands.Range(
            _options.BandsPerOctave, _options.Base == OctaveBase.Base10, _options.MinFrequency, _options.MaxFrequency, 0.49 * format.SampleRate);
        _bank = new OctaveFilterBank(bands, format.SampleRate);
        _mono = new float[ChunkFrames];
        _meanSquares = new double[bands.Length];
        _power = new double[bands.Length];
        _weights = new double[bands.Length];
        var centres = new float[bands.Length];
        var lowers = new float[bands.Length];
        var uppers = new float[bands.Length];
        var labels = new string[bands.Length];
        for (var i = 0; i < bands.Length; i++)
        {
            centres[i] = (float)bands[i].CenterHz;
            lowers[i] = (float)bands[i].LowerHz;
            uppers[i] = (float)bands[i].UpperHz;
            labels[i] = bands[i].Label;
            var gain = WeightingCurves.Gain(_options.Weighting, bands[i].CenterHz);
            _weights[i] = gain * gain;
        }

        _centres = [.. centres];
        _lowers = [.. lowers];
        _uppers = [.. uppers];
        _labels = [.. labels];
        _alphaFrames = -1;
        _primed = false;
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        var bank = _bank;
        if (bank is null || block.Format.SampleRate != _sampleRate)
        {
            Initialize(block.Format);
            bank = _bank!;
        }

        var channels = block.Format.Channels;
        var samples = block.Samples;
        var frames = block.FrameCount;
        for (var start = 0; start < frames; start += ChunkFrames)
        {
            var n = Math.Min(ChunkFrames, frames - start);
            var mono = _mono.AsSpan(0, n);
            _options.Channel.Extract(samples.Slice(start * channels, n * channels), channels, mono);
            bank.Process(mono);
        }

        if (frames == 0)
        {
            return false;
        }

        if (frames != _alphaFrames)
        {
            _alphaFrames = frames;
            _alpha = 1 - Math.Exp(-frames / (_options.ResponseTime * _sampleRate));
        }

        bank.TakeMeanSquares(_meanSquares);
        var alpha = _alpha;
        var power = _power;
        var ms = _meanSquares;
        for (var i = 0; i < power.Length; i++)
        {
            if (double.IsNaN(ms[i]))
            {
                continue;
            }

            power[i] = _primed ? power[i] + (alpha * (ms[i] - power[i])) : ms[i];
        }

        _primed = true;
        return true;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (_bank is null)
        {
            return null;
        }

        var levels = new float[_power.Length];
        var total = 0.0;
        for (var i = 0; i < levels.Length; i++)
        {
            var p = _power[i] * _weights[i];
            total += p;
            levels[i] = Decibels.FromPower(p);
        }

        return new OctaveSpectrumData
        {
            CenterFrequencies = _centres,
            LowerFrequencies = _lowers,
            UpperFrequencies = _uppers,
            BandEnergiesDb = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(levels),
            BandLabels = _labels,
            BandsPerOctave = _options.BandsPerOctave,
            Weighting = _options.Weighting == FrequencyWeighting.Z ? "none" : _options.Weighting.ToString(),
            ResponseTime = _options.ResponseTime,
            OverallLevel = Decibels.FromPower(total),
        };
    }

    /// <inheritdoc/>
    protected internal override void Reset()
    {
        _bank?.Reset();
        Array.Clear(_power);
        _primed = false;
    }
}
