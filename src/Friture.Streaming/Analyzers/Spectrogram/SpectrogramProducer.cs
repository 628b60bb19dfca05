using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Friture.Streaming.Analyzers.FftSpectrum;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Common;

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
/// <para>
/// Cost: <see cref="ProcessBlock"/> windows each frame; the FFT of the column to publish runs in
/// <see cref="ExtractData"/>, so columns the rate limiter skips (22 of the 47 per second at the default 25 messages per
/// second) cost no FFT. A frame source shared with an FFT spectrum transforms every frame anyway, once for both.
/// </para>
/// <para>Allocation: buffers are allocated in <see cref="Initialize"/>; <see cref="ProcessBlock"/> does not allocate.</para>
/// </remarks>
public sealed class SpectrogramProducer : SpectrumProducer
{
    private readonly SpectrogramOptions _options;
    private SpectrumResampler? _resampler;
    private float[] _latest = [];
    private float[] _column = [];
    private ImmutableArray<float> _frequencies = [];
    private double _minFrequency;
    private double _maxFrequency;
    private bool _hasColumn;
    private bool _hasBuiltColumn;
    private bool _pending;
    private int _pendingSlot;
    private long _pendingCapture;

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
        : this(options, null, producerId)
    {
    }

    /// <summary>Creates the producer on a frame source shared with other analyzers (one FFT per frame between them).</summary>
    /// <param name="options">Settings; validated now and copied.</param>
    /// <param name="frames">
    /// The shared frame source, whose FFT size, overlap, window, Kaiser beta and channel must equal the options';
    /// <see langword="null"/> for a private one.
    /// </param>
    /// <param name="producerId">Optional producer identifier.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The frame source does not match the options.</exception>
    internal SpectrogramProducer(SpectrogramOptions options, SpectrumFrameSource? frames, string? producerId = null)
        : base(InputFor(options, frames), producerId)
    {
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public SpectrogramOptions Options => _options.Clone();

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.Spectrogram;

    /// <summary>Checks the options and builds the frame input (before the base constructor runs).</summary>
    private static SpectrumProducerInput InputFor(SpectrogramOptions options, SpectrumFrameSource? frames)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new SpectrumProducerInput(
            options.FftSize, options.Overlap, options.Window, options.KaiserBeta, options.Channel, options.Weighting, frames);
    }

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        Input.Initialize(format, nameof(SpectrogramOptions.Channel));
        var bins = Input.Frames.BinCount;
        _latest = new float[bins];

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

        _resampler = new SpectrumResampler(Input.BinWidth, bins, edges, centres);
        _frequencies = ImmutableArray.Create(_resampler.Centres);
        _column = new float[points];
        _hasColumn = false;
        _hasBuiltColumn = false;
        _pending = false;
        Input.Initialized = true;
    }

    /// <inheritdoc/>
    protected internal override bool ProcessBlock(in AudioBlock block)
    {
        if (Input.NeedsInitialize(block))
        {
            Initialize(block.Format);
        }

        var count = Input.Process(block);
        if (count == 0)
        {
            return false;
        }

        // Only the block's latest column can be published. Remember which it is; ExtractData transforms it (if no sharing
        // producer has yet), so a column the rate limiter skips costs no FFT.
        _pendingSlot = count - 1;
        _pendingCapture = Input.Frames.FramesCaptured;
        _pending = true;
        _hasColumn = true;
        return true;
    }

    /// <summary>Keeps a frame's power, weighted, as the column to publish.</summary>
    private void BuildColumn(ReadOnlySpan<float> power)
    {
        var gains = Input.BinGains;
        if (gains is null)
        {
            power.CopyTo(_latest);
        }
        else
        {
            for (var k = 0; k < _latest.Length; k++)
            {
                _latest[k] = power[k] * gains[k];
            }
        }

        _hasBuiltColumn = true;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (!_hasColumn || _resampler is null)
        {
            return null;
        }

        if (_pending)
        {
            _pending = false;
            if (Input.Frames.FramesCaptured != _pendingCapture)
            {
                // The source captured newer frames without this producer seeing their block (outside the engine's
                // protocol): the pending column is gone; publish the last one built, if any.
                if (!_hasBuiltColumn)
                {
                    return null;
                }
            }
            else
            {
                BuildColumn(Input.Frames.FramePower(_pendingSlot));
            }
        }

        _resampler.Process(_latest, _column);
        var db = GC.AllocateUninitializedArray<float>(_column.Length);
        VectorMath.PowerToDb(_column, db);

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
        _hasColumn = false;
        _hasBuiltColumn = false;
        _pending = false;
    }
}
