using System.Collections.Immutable;
using System.Numerics;
using Friture.Streaming.Audio;
using Friture.Streaming.Data;
using Friture.Streaming.Dsp.Common;
using Friture.Streaming.Dsp.Fft;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Analyzers.FftSpectrum;

/// <summary>
/// FFT spectrum analyzer (Friture's "FFT Spectrum" dock): windowed, overlapping FFT frames of one channel (or the mono
/// sum), optionally weighted, exponentially averaged in power, with the peak located between bins.
/// </summary>
/// <remarks>
/// <para>
/// Scaling: <see cref="FftSpectrumData.MagnitudesLinear"/> is the amplitude in full-scale units, corrected by the
/// window's coherent gain, so a full-scale sine centred on a bin reads 1.0 (0 dBFS) with any window (Friture reads about
/// -12 dB). Between bins the reading drops by the window's scalloping loss (1.42 dB worst case for Hann, under 0.02 dB
/// for flat top); <see cref="FftSpectrumData.PeakMagnitude"/> corrects most of it by interpolation.
/// </para>
/// <para>
/// Timing: one frame every <c>FftSize * (1 - Overlap)</c> samples; every frame is averaged in, and
/// <see cref="ProcessBlock"/> reports a result when at least one frame completed in the block. The result's stream time
/// is the end of the latest frame.
/// </para>
/// <para>Allocation: buffers are allocated in <see cref="Initialize"/>; <see cref="ProcessBlock"/> does not allocate.</para>
/// </remarks>
public sealed class FftSpectrumProducer : SpectrumProducer
{
    /// <summary>Bins the weighted peak search may move to reach the unweighted top of a main lobe (the widest window's half lobe).</summary>
    private const int MaxLobeWalk = 5;

    private readonly FftSpectrumOptions _options;
    private SpectrumResampler? _resampler;
    private float[] _average = [];
    private float[] _reducedPower = [];
    private float[] _frequencies = [];
    private ImmutableArray<float> _frequenciesPayload = [];
    private float _alpha;
    private long _framesAveraged;

    /// <summary>Creates the producer with default options.</summary>
    public FftSpectrumProducer()
        : this(new FftSpectrumOptions())
    {
    }

    /// <summary>Creates the producer.</summary>
    /// <param name="options">Settings; validated now and copied.</param>
    /// <param name="producerId">Optional producer identifier.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FftSpectrumProducer(FftSpectrumOptions options, string? producerId = null)
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
    internal FftSpectrumProducer(FftSpectrumOptions options, SpectrumFrameSource? frames, string? producerId = null)
        : base(InputFor(options, frames), producerId)
    {
        _options = options.Clone();
    }

    /// <summary>The settings in use (a copy of those given).</summary>
    public FftSpectrumOptions Options => _options.Clone();

    /// <inheritdoc/>
    public override DataType GetDataType() => DataType.FftSpectrum;

    /// <summary>Checks the options and builds the frame input (before the base constructor runs).</summary>
    private static SpectrumProducerInput InputFor(FftSpectrumOptions options, SpectrumFrameSource? frames)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new SpectrumProducerInput(
            options.FftSize, options.Overlap, options.Window, options.KaiserBeta, options.Channel, options.Weighting, frames);
    }

    /// <inheritdoc/>
    protected internal override void Initialize(AudioFormat format)
    {
        Input.Initialize(format, nameof(FftSpectrumOptions.Channel));
        var bins = Input.Frames.BinCount;
        _average = new float[bins];
        var hopSeconds = (double)HopSize / format.SampleRate;
        _alpha = _options.ResponseTime <= 0 ? 1f : (float)(1.0 - Math.Exp(-hopSeconds / _options.ResponseTime));
        _framesAveraged = 0;
        BuildReduction(Input.BinWidth, bins);
        _frequenciesPayload = ImmutableArray.Create(_frequencies);
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
        for (var i = 0; i < count; i++)
        {
            Accumulate(Input.Frames.FramePower(i));
        }

        return count > 0;
    }

    /// <inheritdoc/>
    public override StreamingPayload? ExtractData()
    {
        if (!Input.Initialized || _framesAveraged == 0)
        {
            return null;
        }

        var spectrum = Input.Frames.Spectrum;

        ReadOnlySpan<float> power = _average;
        ReadOnlySpan<float> frequencies = _frequencies;
        if (_resampler is not null)
        {
            _resampler.Process(_average, _reducedPower);
            power = _reducedPower;
        }

        // Every element is written below: skip the zeroing (most of the allocation's cost at 4097 bins).
        var linear = GC.AllocateUninitializedArray<float>(power.Length);
        var db = GC.AllocateUninitializedArray<float>(power.Length);
        VectorMath.Sqrt(power, linear);
        VectorMath.PowerToDb(power, db);

        ImmutableArray<float>? phases = null;
        if (_options.IncludePhases)
        {
            var p = GC.AllocateUninitializedArray<float>(power.Length);
            for (var i = 0; i < p.Length; i++)
            {
                var k = _resampler is null ? i : Math.Clamp((int)Math.Round(frequencies[i] * spectrum.FftSize / Input.Format.SampleRate), 0, spectrum.BinCount - 1);
                p[i] = MathF.Atan2(spectrum.Imaginary[k], spectrum.Real[k]);
            }

            phases = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(p);
        }

        var (peakFrequency, peakDb) = FindPeak();
        return new FftSpectrumData
        {
            Frequencies = _frequenciesPayload,
            MagnitudesLinear = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(linear),
            MagnitudesDb = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(db),
            Phases = phases,
            FftSize = _options.FftSize,
            WindowType = WindowName(_options.Window),
            OverlapFactor = _options.Overlap,
            Weighting = _options.Weighting.ToString(),
            ResponseTime = _options.ResponseTime,
            PeakFrequency = peakDb >= FftSpectrumData.PeakFloorDb ? peakFrequency : null,
            PeakMagnitude = peakDb >= FftSpectrumData.PeakFloorDb ? peakDb : null,
        };
    }

    /// <inheritdoc/>
    protected internal override void Reset()
    {
        Array.Clear(_average);
        _framesAveraged = 0;
    }

    /// <summary>The payload's name for a window.</summary>
    /// <param name="window">The window.</param>
    /// <returns>For example <c>hann</c> or <c>blackman_harris</c>.</returns>
    internal static string WindowName(WindowType window) => window switch
    {
        WindowType.Rectangular => "rectangular",
        WindowType.Hann => "hann",
        WindowType.Hamming => "hamming",
        WindowType.Blackman => "blackman",
        WindowType.BlackmanHarris => "blackman_harris",
        WindowType.FlatTop => "flat_top",
        _ => "kaiser",
    };

    /// <summary>
    /// Frequency and level of the highest bin (DC excluded), refined from the levels of it and its neighbours with the
    /// window's own main lobe (<see cref="SlidingSpectrum.PeakOffset"/>), its level corrected for the window's
    /// scalloping loss. With a weighting, the highest weighted bin is
    /// taken, but the peak is refined on the unweighted spectrum (the weighted average divided by the bin gains: the
    /// average is linear, so this is exact) and the weighting's gain applied at the refined frequency after: the slope
    /// of a weighting across the window's main lobe (about 4.5 dB per bin for A at 31.5 Hz with 8192 points) would
    /// otherwise pull the peak towards higher gain.
    /// </summary>
    /// <returns>Peak frequency in Hz and level in dBFS.</returns>
    internal (double Frequency, double LevelDb) FindPeak()
    {
        var power = _average;
        var inner = power.AsSpan(1, power.Length - 2);
        var best = 1 + inner.IndexOf(VectorMath.Max(inner)); // the first bin holding the maximum

        var binWidth = Input.BinWidth;
        var gains = Input.BinGains;
        if (gains is null)
        {
            double a = Decibels.FromPower(power[best - 1]), b = Decibels.FromPower(power[best]), c = Decibels.FromPower(power[best + 1]);
            var delta = Input.Frames.Spectrum.PeakOffset(a, b, c);

            // The offset comes from the window's own main lobe; the level is corrected by its scalloping loss there.
            return ((best + delta) * binWidth, b - Input.Frames.Spectrum.ScallopingDb(delta));
        }

        // Uphill on the unweighted spectrum to the top of the tone's main lobe (at most MaxLobeWalk bins: a stronger
        // unweighted component further off, such as low-frequency rumble the weighting removes, is not the peak).
        var last = power.Length - 2;
        for (var step = 0; step < MaxLobeWalk; step++)
        {
            var here = Unweighted(power, gains, best);
            if (best > 1 && Unweighted(power, gains, best - 1) > here)
            {
                best--;
            }
            else if (best < last && Unweighted(power, gains, best + 1) > here)
            {
                best++;
            }
            else
            {
                break;
            }
        }

        double ua = Decibels.FromPower(Unweighted(power, gains, best - 1));
        double ub = Decibels.FromPower(Unweighted(power, gains, best));
        double uc = Decibels.FromPower(Unweighted(power, gains, best + 1));
        var offset = Input.Frames.Spectrum.PeakOffset(ua, ub, uc);
        var frequency = (best + offset) * binWidth;
        var weightDb = WeightingCurves.GainDb(_options.Weighting, frequency);
        var level = ub - Input.Frames.Spectrum.ScallopingDb(offset) + weightDb;
        return (frequency, Math.Max(level, Decibels.Floor));
    }

    // Unweighted power of bin k; a bin the weighting zeroes (DC) reads nothing.
    private static double Unweighted(float[] power, float[] gains, int k) => gains[k] > 0 ? power[k] / (double)gains[k] : 0;

    private void Accumulate(ReadOnlySpan<float> power)
    {
        var average = _average.AsSpan();
        var gains = Input.BinGains.AsSpan();
        var hasGains = !gains.IsEmpty;
        var alpha = _framesAveraged == 0 ? 1f : _alpha;
        var alphaV = new Vector<float>(alpha);
        var k = 0;
        var width = Vector<float>.Count;
        for (; k + width <= average.Length; k += width)
        {
            var p = new Vector<float>(power.Slice(k, width));
            if (hasGains)
            {
                p *= new Vector<float>(gains.Slice(k, width));
            }

            var avg = new Vector<float>(average.Slice(k, width));
            (avg + (alphaV * (p - avg))).CopyTo(average.Slice(k, width));
        }

        for (; k < average.Length; k++)
        {
            var p = hasGains ? power[k] * gains[k] : power[k];
            average[k] += alpha * (p - average[k]);
        }

        _framesAveraged++;
    }

    private void BuildReduction(double binWidth, int bins)
    {
        _resampler = null;
        var nyquist = Input.Format.SampleRate / 2.0;
        var max = Math.Min(_options.MaxFrequency, nyquist);
        var min = Math.Min(_options.MinFrequency, max / 2);
        var points = _options.MaxPoints;
        if (points > 0 && _options.PointSpacing == SpectrumPointSpacing.Linear)
        {
            // Fewer bins than points in range: send the bins themselves.
            var first = (int)Math.Ceiling(min / binWidth);
            var last = (int)Math.Floor(max / binWidth);
            points = Math.Min(points, last - first + 1);
        }

        if (points <= 0)
        {
            _frequencies = new float[bins];
            for (var k = 0; k < bins; k++)
            {
                _frequencies[k] = (float)(k * binWidth);
            }

            return;
        }

        var edges = new double[points + 1];
        var centres = new double[points];
        if (_options.PointSpacing == SpectrumPointSpacing.Linear)
        {
            SpectrumResampler.Edges(min, max, points, static f => f, static f => f, edges, centres);
        }
        else
        {
            SpectrumResampler.Edges(min, max, points, Math.Log, Math.Exp, edges, centres);
        }

        _resampler = new SpectrumResampler(binWidth, bins, edges, centres);
        _frequencies = _resampler.Centres;
        _reducedPower = new float[points];
    }
}
