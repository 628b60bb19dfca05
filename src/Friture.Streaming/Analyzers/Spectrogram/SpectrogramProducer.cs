using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Common;
using Friture.Streaming.Dsp.Fft;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.Spectrogram;

/// <summary>
/// Spectrogram analyzer (Friture's "2D Spectrogram" dock): one column of dBFS levels per FFT frame, resampled onto a
/// linear, logarithmic, mel, ERB or octave frequency axis of a chosen number of bins.
/// </summary>
/// <remarks>
/// <para>
/// Levels are calibrated like the FFT spectrum (a full-scale sine on a bin centre reads 0 dBFS with any window). Each
/// output bin takes the highest FFT bin power within its band (so a tone is never lost between output bins); output
/// bins narrower than an FFT bin take the power interpolated at their centre.
/// </para>
/// <para>
/// Timing: a column every <c>FftSize * (1 - Overlap)</c> samples; its stream time is the end of its frame. At most one
/// message is published per captured block, so when the hop is shorter than the block only the latest column of the
/// block is published (with the defaults, hop 1024 &gt; block 512, every column is available).
/// </para>
/// <para>Allocation: buffers are allocated in <see cref="Initialize"/>; <see cref="ProcessBlock"/> does not allocate.</para>
/// </remarks>
public sealed class SpectrogramProducer : DataProducer
{
    private readonly SpectrogramOptions _options;
    private SlidingSpectrum? _spectrum;
    private SpectrumResampler? _resampler;
    private float[] _mono = [];
    private float[] _column = [];
    private ImmutableArray<float> _frequencies = [];
    private double _minFrequency;
    private double _maxFrequency;
    private double _resultTime;
    private bool _hasColumn;

    /// <summary>Creates the producer with default options.</summary>
    public SpectrogramProducer()
        : this(new SpectrogramOptions())
    {
    }

    /// <summary>Creates the producer.</summary>
    /// <param name="options">Settings; validated now and copied.</param>
    /// <param name="producerId">Optional producer identifier.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SpectrogramProducer(SpectrogramOptions options, string? producerId = null)
        : base(producerId)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public SpectrogramOptions Options => _options.Clone();

    /// <summary>Hop between columns in samples.</summary>
    public int HopSize => Math.Max(1, (int)Math.Round(_options.FftSize * (1 - _options.Overlap)));

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.Spectrogram;

    /// <inheritdoc/>
    protected internal override double? ResultStreamTime => _resultTime;

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        _options.Channel.Validate(format, nameof(SpectrogramOptions.Channel));
        var size = _options.FftSize;
        _spectrum = new SlidingSpectrum(size, HopSize, _options.Window, _options.KaiserBeta);
        var bins = _spectrum.BinCount;
        var binWidth = (double)format.SampleRate / size;
        if (_options.Weighting != FrequencyWeighting.Z)
        {
            var gains = new float[bins];
            for (var k = 0; k < bins; k++)
            {
                var g = WeightingCurves.Gain(_options.Weighting, k * binWidth);
                gains[k] = (float)(g * g);
            }

            _spectrum.SetBinGains(gains);
        }

        _maxFrequency = Math.Min(_options.MaxFrequency, format.SampleRate / 2.0);
        _minFrequency = Math.Min(_options.MinFrequency, _maxFrequency / 2);
        var points = _options.OutputBins;
        var edges = new double[points + 1];
        var centres = new double[points];
        var scale = _options.Scale;
        var a = FrequencyScaleMapping.ToScale(scale, _minFrequency);
        var b = FrequencyScaleMapping.ToScale(scale, _maxFrequency);
        for (var j = 0; j <= points; j++)
        {
            edges[j] = FrequencyScaleMapping.FromScale(scale, a + ((b - a) * j / points));
        }

        for (var j = 0; j < points; j++)
        {
            centres[j] = FrequencyScaleMapping.FromScale(scale, a + ((b - a) * (j + 0.5) / points));
        }

        _resampler = new SpectrumResampler(binWidth, bins, edges, centres);
        _frequencies = ImmutableArray.Create(_resampler.Centres);
        _column = new float[points];
        _mono = new float[Math.Max(_mono.Length, 4096)];
        _hasColumn = false;
        _resultTime = 0;
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        var spectrum = _spectrum;
        if (spectrum is null)
        {
            Initialize(block.Format);
            spectrum = _spectrum!;
        }

        var frames = block.FrameCount;
        if (_mono.Length < frames)
        {
            _mono = new float[frames];
        }

        var mono = _mono.AsSpan(0, frames);
        _options.Channel.Extract(block.Samples, block.Format.Channels, mono);
        var offset = 0;
        var ready = false;
        while (offset < mono.Length)
        {
            offset += spectrum.Write(mono[offset..], block.FirstFrameIndex + offset);
            if (spectrum.FrameReady)
            {
                spectrum.ComputeFrame();
                _resultTime = (double)spectrum.FrameEndIndex / block.Format.SampleRate;
                ready = true;
            }
        }

        _hasColumn |= ready;
        return ready;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (!_hasColumn || _spectrum is null || _resampler is null)
        {
            return null;
        }

        _resampler.Process(_spectrum.Power, _column);
        var db = new float[_column.Length];
        for (var i = 0; i < db.Length; i++)
        {
            db[i] = Decibels.FromPower(_column[i]);
        }

        return new SpectrogramData
        {
            Frequencies = _frequencies,
            MagnitudesDb = ImmutableCollectionsMarshal.AsImmutableArray(db),
            FftSize = _options.FftSize,
            OverlapFactor = _options.Overlap,
            FrequencyScale = FrequencyScaleMapping.Name(_options.Scale),
            MinFrequency = _minFrequency,
            MaxFrequency = _maxFrequency,
        };
    }

    /// <inheritdoc/>
    protected internal override void Reset()
    {
        _spectrum?.Reset();
        _hasColumn = false;
    }
}
