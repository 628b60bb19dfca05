using Friture.Streaming.Producers;
using Friture.Streaming.Audio;
using Friture.Streaming.Dsp.Fft;
using Friture.Streaming.Dsp.Windows;

namespace Friture.Streaming.Analyzers.FftSpectrum;

/// <summary>
/// The windowed FFT frames of one channel, computed once per captured block and shared by every analyzer given the same
/// source (for example an <see cref="FftSpectrumProducer"/> and a <see cref="Spectrogram.SpectrogramProducer"/> with the
/// same FFT size, overlap, window and channel), so that they run one FFT per frame between them instead of one each.
/// </summary>
/// <remarks>
/// <para>
/// Usage: create one source and pass it to each producer's constructor; each producer checks that its options agree with
/// the source (FFT size, overlap, window, Kaiser beta, channel). Each producer still applies its own weighting,
/// averaging and output format. A producer created without a source gets a private one.
/// </para>
/// <para>
/// The first producer to see a block computes its frames; the others, called by the engine for the same block, reuse
/// them. A gap in the audio clock (lost frames, or a pause while no producer was active) restarts the frame buffer.
/// Power per frame is calibrated (a full-scale sine on a bin centre reads 1.0 with any window) and unweighted.
/// Not thread-safe: like the producers, it runs on the capture thread. Allocates only when the format or the largest
/// block size changes.
/// </para>
/// </remarks>
internal sealed class SpectrumFrameSource : ISharedResource<SpectrumFrameSource>
{
    private SlidingSpectrum? _spectrum;
    private AudioFormat _format;
    private float[] _mono = [];
    private float[][] _framePowers = [];
    private float[][] _windowedFrames = [];
    private bool[] _transformed = [];
    private long[] _frameEnds = [];
    private long _lastBlockStart = -1;
    private int _lastBlockFrames;
    private long _expectedNext;

    /// <summary>Creates a frame source.</summary>
    /// <param name="fftSize">FFT size: a power of two from 32 to 16384.</param>
    /// <param name="overlap">Overlap between frames, 0 to less than 1.</param>
    /// <param name="window">Analysis window.</param>
    /// <param name="kaiserBeta">Kaiser beta, 0 to 50 (used by <see cref="WindowType.Kaiser"/>).</param>
    /// <param name="channel">Analysed channel; defaults to channel 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public SpectrumFrameSource(int fftSize, double overlap, WindowType window, double kaiserBeta = Dsp.Windows.Window.DefaultKaiserBeta, ChannelSelection? channel = null)
    {
        var check = new FftSpectrumOptions { FftSize = fftSize, Overlap = overlap, Window = window, KaiserBeta = kaiserBeta };
        check.Validate();
        FftSize = fftSize;
        Overlap = overlap;
        Window = window;
        KaiserBeta = kaiserBeta;
        Channel = channel ?? ChannelSelection.First;
        HopSize = Math.Max(1, (int)Math.Round(fftSize * (1 - overlap)));
    }

    /// <summary>FFT size in samples.</summary>
    public int FftSize { get; }

    /// <summary>Overlap between frames.</summary>
    public double Overlap { get; }

    /// <summary>Analysis window.</summary>
    public WindowType Window { get; }

    /// <summary>Kaiser beta.</summary>
    public double KaiserBeta { get; }

    /// <summary>Analysed channel.</summary>
    public ChannelSelection Channel { get; }

    /// <summary>Hop between frames in samples.</summary>
    public int HopSize { get; }

    /// <summary>Number of spectrum bins, FftSize / 2 + 1.</summary>
    public int BinCount => (FftSize / 2) + 1;

    /// <summary>
    /// Number of FFT frames transformed so far (for diagnostics and tests): shared sources count each frame once, and a
    /// frame no producer read (a spectrogram column the rate limit skipped) is never transformed.
    /// </summary>
    public long FramesComputed => _spectrum?.FrameCount ?? 0;

    /// <summary>Frames captured (windowed) since the source was created: identifies the latest frame.</summary>
    internal long FramesCaptured { get; private set; }

    /// <summary>Frames completed in the most recent block.</summary>
    internal int FramesInBlock { get; private set; }

    internal SlidingSpectrum Spectrum => _spectrum ?? throw new InvalidOperationException("The frame source is not initialised.");

    internal AudioFormat Format => _format;

    internal void Initialize(AudioFormat format, string optionName)
    {
        Channel.Validate(format, optionName);
        if (_spectrum is not null && format == _format)
        {
            return;
        }

        _format = format;
        _spectrum = new SlidingSpectrum(FftSize, HopSize, Window, KaiserBeta);
        _lastBlockStart = -1;
        _expectedNext = 0;
        Reserve(4096);
    }

    /// <summary>Computes the block's frames unless this block was already processed (by another sharing producer).</summary>
    internal void Process(in AudioBlock block)
    {
        if (_spectrum is null || block.Format != _format)
        {
            Initialize(block.Format, "channel");
        }

        var frames = block.FrameCount;
        if (block.FirstFrameIndex == _lastBlockStart && frames == _lastBlockFrames)
        {
            return;
        }

        var spectrum = _spectrum!;
        if (block.FirstFrameIndex != _expectedNext)
        {
            spectrum.Reset();
        }

        if (_mono.Length < frames)
        {
            Reserve(frames);
        }

        var mono = _mono.AsSpan(0, frames);
        Channel.Extract(block.Samples, block.Format.Channels, mono);
        var offset = 0;
        var count = 0;
        while (offset < mono.Length)
        {
            offset += spectrum.Write(mono[offset..], block.FirstFrameIndex + offset);
            if (spectrum.FrameReady)
            {
                // Windowed now (the ring slides on); transformed when a producer first reads the frame.
                spectrum.CaptureFrame(_windowedFrames[count]);
                FramesCaptured++;
                _transformed[count] = false;
                _frameEnds[count] = spectrum.FrameEndIndex;
                count++;
            }
        }

        FramesInBlock = count;
        _lastBlockStart = block.FirstFrameIndex;
        _lastBlockFrames = frames;
        _expectedNext = block.EndFrameIndex;
    }

    /// <summary>
    /// Calibrated, unweighted power of frame <paramref name="index"/> of the latest block, transformed on first use: a
    /// spectrogram that publishes one column in two transforms only that one. Valid until the next block.
    /// </summary>
    internal ReadOnlySpan<float> FramePower(int index)
    {
        if (!_transformed[index])
        {
            Spectrum.Transform(_windowedFrames[index], _framePowers[index]);
            _transformed[index] = true;
        }

        return _framePowers[index];
    }

    /// <summary>Stream index one past the last sample of frame <paramref name="index"/> of the latest block.</summary>
    internal long FrameEnd(int index) => _frameEnds[index];

    private void Reserve(int blockFrames)
    {
        _mono = new float[blockFrames];
        var maxFrames = (blockFrames / HopSize) + 2;
        var powers = new float[maxFrames][];
        for (var i = 0; i < maxFrames; i++)
        {
            powers[i] = i < _framePowers.Length && _framePowers[i].Length == BinCount ? _framePowers[i] : new float[BinCount];
        }

        var windowed = new float[maxFrames][];
        for (var i = 0; i < maxFrames; i++)
        {
            windowed[i] = i < _windowedFrames.Length && _windowedFrames[i].Length == FftSize ? _windowedFrames[i] : new float[FftSize];
        }

        _framePowers = powers;
        _windowedFrames = windowed;
        _transformed = new bool[maxFrames];
        _frameEnds = new long[maxFrames];
    }

    /// <inheritdoc/>
    bool ISharedResource<SpectrumFrameSource>.IsEquivalentTo(SpectrumFrameSource other) =>
        Matches(other.FftSize, other.Overlap, other.Window, other.KaiserBeta, other.Channel);

    internal bool Matches(int fftSize, double overlap, WindowType window, double kaiserBeta, ChannelSelection channel) =>
        fftSize == FftSize && overlap == Overlap && window == Window && (window != WindowType.Kaiser || kaiserBeta == KaiserBeta) && channel == Channel;
}
