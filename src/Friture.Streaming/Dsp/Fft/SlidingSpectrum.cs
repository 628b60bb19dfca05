using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Dsp.Fft;

/// <summary>
/// Cuts a mono stream into overlapping frames (size <see cref="FftSize"/>, advancing by <see cref="Hop"/> samples),
/// windows each frame and computes its calibrated power spectrum. Shared by the FFT spectrum and spectrogram analyzers.
/// </summary>
/// <remarks>
/// <para>
/// The power <see cref="ComputeFrame"/> writes for bin k is the squared amplitude of bin k in full-scale units: a sine of amplitude A centred on bin k
/// reads A^2 (so a full-scale sine reads 1.0 = 0 dBFS) whatever the window, because each bin is divided by the window's
/// coherent gain (Friture divides by N^2 only and so reads about -12 dB with Hann). DC and Nyquist bins are not doubled.
/// </para>
/// <para>Allocation: everything in the constructor; <see cref="Write"/> and <see cref="ComputeFrame"/> allocate nothing.</para>
/// </remarks>
internal sealed class SlidingSpectrum
{
    private readonly float[] _frame;
    private readonly float[] _windowed;
    private readonly float[] _window;
    private readonly float[] _calibration;
    private readonly RealFft _fft;
    private double[]? _scalloping;
    private int _fill;
    private int _start;

    /// <summary>Intervals of the scalloping table between offsets 0 and 1 bin.</summary>
    private const int ScallopingSteps = 256;

    /// <summary>Lowest gain the scalloping table holds, in dB (a window with a null at one bin, the rectangular one).</summary>
    private const double ScallopingFloorDb = -300;

    public SlidingSpectrum(int fftSize, int hop, WindowType window, double kaiserBeta)
    {
        if (hop < 1 || hop > fftSize)
        {
            throw new ArgumentOutOfRangeException(nameof(hop), hop, $"hop is {hop} samples; it must be between 1 and the FFT size {fftSize}.");
        }

        _fft = new RealFft(fftSize);
        FftSize = fftSize;
        Hop = hop;
        WindowType = window;
        _frame = new float[fftSize];
        _windowed = new float[fftSize];
        _window = Window.Create(window, fftSize, kaiserBeta);
        Real = new float[_fft.BinCount];
        Imaginary = new float[_fft.BinCount];
        _calibration = new float[_fft.BinCount];
        var sum = Window.CoherentGain(_window) * fftSize;
        for (var k = 0; k < _calibration.Length; k++)
        {
            var amplitude = (k == 0 || k == _calibration.Length - 1 ? 1.0 : 2.0) / sum;
            _calibration[k] = (float)(amplitude * amplitude);
        }
    }

    public int FftSize { get; }

    public int Hop { get; }

    public int BinCount => Real.Length;

    public WindowType WindowType { get; }

    /// <summary>Raw (unscaled) FFT of the last frame: real parts.</summary>
    public float[] Real { get; }

    /// <summary>Raw (unscaled) FFT of the last frame: imaginary parts.</summary>
    public float[] Imaginary { get; }

    /// <summary>Whether the frame buffer is full and <see cref="ComputeFrame"/> must be called before writing more.</summary>
    public bool FrameReady => _fill == FftSize;

    /// <summary>Stream index (audio clock) one past the last sample of the frame most recently made ready.</summary>
    public long FrameEndIndex { get; private set; }

    /// <summary>Number of frames transformed since the last reset.</summary>
    public long FrameCount { get; private set; }

    /// <summary>
    /// Gain of the window, relative to its gain on a bin centre, for a sine <paramref name="offsetBins"/> bins away from
    /// the bin (the scalloping loss), in dB (0 at offset 0, about -1.42 dB at 0.5 for Hann).
    /// </summary>
    /// <remarks>
    /// Offsets within one bin (the only ones a peak search needs) read a table of
    /// <see cref="ScallopingSteps"/> + 1 points built once, linearly interpolated (error under 1e-4 dB); other offsets
    /// are computed directly.
    /// </remarks>
    public double ScallopingDb(double offsetBins)
    {
        var offset = Math.Abs(offsetBins);
        if (offset > 1)
        {
            return ScallopingDirect(offset);
        }

        var table = _scalloping ??= BuildScallopingTable();
        var position = offset * ScallopingSteps;
        var index = Math.Min((int)position, ScallopingSteps - 1);
        var fraction = position - index;
        return table[index] + (fraction * (table[index + 1] - table[index]));
    }

    /// <summary>Scalloping loss computed from the window itself (a DTFT at one frequency).</summary>
    internal double ScallopingDirect(double offsetBins)
    {
        // The window's spectrum |sum w[n] exp(-i 2 pi d n / N)|, with the phasor advanced by rotation.
        double re = 0, im = 0, sum = 0;
        double stepRe = Math.Cos(2.0 * Math.PI * offsetBins / _window.Length), stepIm = -Math.Sin(2.0 * Math.PI * offsetBins / _window.Length);
        double phRe = 1, phIm = 0;
        for (var n = 0; n < _window.Length; n++)
        {
            re += _window[n] * phRe;
            im += _window[n] * phIm;
            sum += _window[n];
            (phRe, phIm) = ((phRe * stepRe) - (phIm * stepIm), (phRe * stepIm) + (phIm * stepRe));
        }

        return 20.0 * Math.Log10(Math.Sqrt((re * re) + (im * im)) / sum);
    }

    private double[] BuildScallopingTable()
    {
        var table = new double[ScallopingSteps + 1];
        for (var i = 1; i <= ScallopingSteps; i++)
        {
            var db = ScallopingDirect((double)i / ScallopingSteps);
            table[i] = double.IsNaN(db) || db < ScallopingFloorDb ? ScallopingFloorDb : db;
        }

        return table;
    }

    /// <summary>
    /// Offset of a sine from the bin holding its peak, in bins (-0.5 .. 0.5, positive towards the next bin), from the
    /// levels of that bin and its two neighbours, using this window's own main lobe.
    /// </summary>
    /// <remarks>
    /// With the tone at <c>x = |offset|</c> from the peak bin, the peak bin reads its level plus
    /// <c>ScallopingDb(x)</c> and the louder neighbour its level plus <c>ScallopingDb(1 - x)</c>; their difference
    /// <c>G(x) = ScallopingDb(x) - ScallopingDb(1 - x)</c> falls monotonically from its value at 0 to 0 at half a bin (every
    /// window's main lobe is at least one bin wide), and is solved by bisection on the scalloping table. Exact for one
    /// sine far from others, where a parabola through the dB values is biased by up to a few hundredths of a bin
    /// (0.014 bin for Hann at 31.5 Hz, 8192 points, 48 kHz) and more for broad windows (0.09 bin for flat top).
    /// </remarks>
    /// <param name="belowDb">Level of the bin below the peak, in dB.</param>
    /// <param name="peakDb">Level of the peak bin (at least each neighbour's), in dB.</param>
    /// <param name="aboveDb">Level of the bin above the peak, in dB.</param>
    /// <returns>The offset in bins.</returns>
    public double PeakOffset(double belowDb, double peakDb, double aboveDb)
    {
        var side = aboveDb > belowDb ? 1.0 : -1.0;
        var drop = peakDb - Math.Max(belowDb, aboveDb);
        if (!(drop > 0))
        {
            return drop == 0 ? 0.5 * side : 0;
        }

        if (drop >= ScallopingDb(0) - ScallopingDb(1))
        {
            return 0;
        }

        double lo = 0, hi = 0.5;
        for (var i = 0; i < 30; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (ScallopingDb(mid) - ScallopingDb(1 - mid) > drop)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return side * 0.5 * (lo + hi);
    }

    /// <summary>Appends samples until the frame is full or the input runs out.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="firstSampleIndex">Stream index of <paramref name="samples"/>[0].</param>
    /// <returns>The number of samples consumed.</returns>
    public int Write(ReadOnlySpan<float> samples, long firstSampleIndex)
    {
        var take = Math.Min(FftSize - _fill, samples.Length);
        var position = (_start + _fill) & (FftSize - 1);
        var first = Math.Min(take, FftSize - position);
        samples[..first].CopyTo(_frame.AsSpan(position));
        samples[first..take].CopyTo(_frame);
        _fill += take;
        if (_fill == FftSize)
        {
            FrameEndIndex = firstSampleIndex + take;
        }

        return take;
    }

    /// <summary>
    /// Windows and transforms the full frame, writes its calibrated power to <paramref name="power"/> (and keeps the raw
    /// transform in <see cref="Real"/> and <see cref="Imaginary"/>), then slides the frame by <see cref="Hop"/>.
    /// </summary>
    /// <param name="power">Destination of <see cref="BinCount"/> powers.</param>
    public void ComputeFrame(Span<float> power)
    {
        CaptureFrame(_windowed);
        Transform(_windowed, power);
    }

    /// <summary>
    /// Windows the full frame into <paramref name="windowed"/> and slides the frame by <see cref="Hop"/>, leaving the
    /// transform to <see cref="Transform"/> (which a caller may skip for frames nobody reads).
    /// </summary>
    /// <param name="windowed">Destination of <see cref="FftSize"/> windowed samples.</param>
    public void CaptureFrame(Span<float> windowed)
    {
        // The frame is a ring starting at _start: window its two runs in time order (no copy to slide it).
        var head = FftSize - _start;
        Window.Apply(_frame.AsSpan(_start), _window.AsSpan(0, head), windowed);
        Window.Apply(_frame.AsSpan(0, _start), _window.AsSpan(head), windowed[head..]);
        _start = (_start + Hop) & (FftSize - 1);
        _fill = FftSize - Hop;
    }

    /// <summary>
    /// Transforms a frame captured by <see cref="CaptureFrame"/>: its raw transform goes to <see cref="Real"/> and
    /// <see cref="Imaginary"/>, its calibrated power to <paramref name="power"/>; counts it in <see cref="FrameCount"/>.
    /// </summary>
    /// <param name="windowed">The windowed frame.</param>
    /// <param name="power">Destination of <see cref="BinCount"/> powers.</param>
    public void Transform(ReadOnlySpan<float> windowed, Span<float> power)
    {
        _fft.Forward(windowed, Real, Imaginary);
        var bins = Real.Length;
        if (power.Length < bins)
        {
            throw new ArgumentException($"power holds {power.Length} values; {bins} are needed.", nameof(power));
        }

        ref var re = ref MemoryMarshal.GetArrayDataReference(Real);
        ref var im = ref MemoryMarshal.GetArrayDataReference(Imaginary);
        ref var scale = ref MemoryMarshal.GetArrayDataReference(_calibration);
        ref var destination = ref MemoryMarshal.GetReference(power);
        var k = 0;
        var width = Vector<float>.Count;
        for (; k + width <= bins; k += width)
        {
            var r = Vector.LoadUnsafe(ref re, (nuint)k);
            var i = Vector.LoadUnsafe(ref im, (nuint)k);
            (((r * r) + (i * i)) * Vector.LoadUnsafe(ref scale, (nuint)k)).StoreUnsafe(ref destination, (nuint)k);
        }

        for (; k < bins; k++)
        {
            var r = Unsafe.Add(ref re, k);
            var i = Unsafe.Add(ref im, k);
            Unsafe.Add(ref destination, k) = ((r * r) + (i * i)) * Unsafe.Add(ref scale, k);
        }

        FrameCount++;
    }

    public void Reset()
    {
        _fill = 0;
        _start = 0;
        FrameCount = 0;
        FrameEndIndex = 0;
        Array.Clear(_frame);
    }
}
