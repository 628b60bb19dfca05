using Friture.Streaming.Audio;
using Friture.Streaming.Dsp.Weighting;
using Friture.Streaming.Dsp.Windows;
using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.FftSpectrum;

/// <summary>
/// What the FFT spectrum and spectrogram producers share: the frame source (private, or shared with other spectrum
/// analyzers through the engine), the check that a given source matches the options, the per-bin weighting gains, the
/// audio format, and the stream time of the latest frame. Each producer owns one and keeps only its own output stage
/// (averaging and peak search, or column resampling).
/// </summary>
/// <remarks>Runs on the capture thread like the producers; allocates only in <see cref="Initialize"/>.</remarks>
internal sealed class SpectrumProducerInput
{
    private readonly FrequencyWeighting _weighting;
    private bool _privateFrames;

    /// <summary>Creates the input on a given frame source, or on a private one.</summary>
    /// <param name="fftSize">FFT size of the options.</param>
    /// <param name="overlap">Overlap of the options.</param>
    /// <param name="window">Window of the options.</param>
    /// <param name="kaiserBeta">Kaiser beta of the options.</param>
    /// <param name="channel">Analysed channel of the options.</param>
    /// <param name="weighting">Frequency weighting applied to the frames' power.</param>
    /// <param name="frames">A shared frame source that must match the values above; <see langword="null"/> for a private one.</param>
    /// <exception cref="ArgumentException">The frame source does not match the options.</exception>
    public SpectrumProducerInput(
        int fftSize, double overlap, WindowType window, double kaiserBeta, ChannelSelection channel, FrequencyWeighting weighting, SpectrumFrameSource? frames)
    {
        if (frames is not null && !frames.Matches(fftSize, overlap, window, kaiserBeta, channel))
        {
            throw new ArgumentException(
                $"frames (FftSize {frames.FftSize}, Overlap {frames.Overlap}, Window {frames.Window}, Channel {frames.Channel}) does not match the options " +
                $"(FftSize {fftSize}, Overlap {overlap}, Window {window}, Channel {channel}).", nameof(frames));
        }

        _weighting = weighting;
        _privateFrames = frames is null;
        Frames = frames ?? new SpectrumFrameSource(fftSize, overlap, window, kaiserBeta, channel);
    }

    /// <summary>The frame source in use (shared or private).</summary>
    public SpectrumFrameSource Frames { get; private set; }

    /// <summary>Whether <see cref="Initialize"/> completed for <see cref="Format"/>; the producer sets it at the end of its own initialisation.</summary>
    public bool Initialized { get; set; }

    /// <summary>The audio format the producer was initialised for.</summary>
    public AudioFormat Format { get; private set; }

    /// <summary>Squared weighting gain per FFT bin; <see langword="null"/> without weighting (Z).</summary>
    public float[]? BinGains { get; private set; }

    /// <summary>FFT bin width in Hz for <see cref="Format"/>.</summary>
    public double BinWidth { get; private set; }

    /// <summary>Stream time in seconds of the end of the latest frame processed.</summary>
    public double ResultTime { get; private set; }

    /// <summary>
    /// Takes the engine's shared source for the same frames, when this input has a private source and its producer
    /// has not started, so that spectrum analyzers with the same frames run one FFT per frame between them.
    /// </summary>
    /// <param name="context">The engine's producer context.</param>
    public void OnRegistering(IProducerContext context)
    {
        if (_privateFrames && !Initialized)
        {
            Frames = context.Share(Frames);
            _privateFrames = false;
        }
    }

    /// <summary>Initialises the frame source for a format, computes the bin gains and restarts the result time.</summary>
    /// <param name="format">The audio format.</param>
    /// <param name="channelOptionName">The option named in the error when the channel does not exist in the format.</param>
    public void Initialize(AudioFormat format, string channelOptionName)
    {
        Frames.Initialize(format, channelOptionName);
        Format = format;
        var bins = Frames.BinCount;
        BinWidth = (double)format.SampleRate / Frames.FftSize;
        BinGains = null;
        if (_weighting != FrequencyWeighting.Z)
        {
            var gains = new float[bins];
            for (var k = 0; k < bins; k++)
            {
                var g = WeightingCurves.Gain(_weighting, k * BinWidth);
                gains[k] = (float)(g * g);
            }

            BinGains = gains;
        }

        ResultTime = 0;
    }

    /// <summary>Whether the producer must (re)initialise before processing this block.</summary>
    /// <param name="block">The block.</param>
    /// <returns><see langword="true"/> when not initialised or the format changed.</returns>
    public bool NeedsInitialize(in AudioBlock block) => !Initialized || block.Format != Format;

    /// <summary>Computes the block's frames (once between sharing producers) and advances the result time.</summary>
    /// <param name="block">The block.</param>
    /// <returns>The number of frames that completed in the block.</returns>
    public int Process(in AudioBlock block)
    {
        Frames.Process(block);
        var count = Frames.FramesInBlock;
        if (count > 0)
        {
            ResultTime = (double)Frames.FrameEnd(count - 1) / Format.SampleRate;
        }

        return count;
    }
}
