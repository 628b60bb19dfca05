using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers.FftSpectrum;

/// <summary>
/// Base of the analyzers that read windowed FFT frames of one channel (<see cref="FftSpectrumProducer"/> and
/// <see cref="Spectrogram.SpectrogramProducer"/>): the frame input they share, and the members that follow from it.
/// Only this library derives from it.
/// </summary>
/// <remarks>
/// A producer created without a frame source, not yet started, takes the engine's shared source for its FFT size,
/// overlap, window and channel when it is registered, so that spectrum analyzers with the same frames run one FFT per
/// frame between them.
/// </remarks>
public abstract class SpectrumProducer : DataProducer
{
    private protected SpectrumProducer(SpectrumProducerInput input, string? producerId)
        : base(producerId) => Input = input;

    /// <summary>Hop between frames (spectrum averages or spectrogram columns) in samples.</summary>
    public int HopSize => Input.Frames.HopSize;

    /// <inheritdoc/>
    protected internal sealed override double? ResultStreamTime => Input.ResultTime;

    /// <summary>The frame source this producer reads (shared or private).</summary>
    internal SpectrumFrameSource FrameSource => Input.Frames;

    /// <summary>The frame input: source, weighting gains, format and result time.</summary>
    private protected SpectrumProducerInput Input { get; }

    /// <inheritdoc/>
    internal sealed override void OnRegistering(IProducerContext context) => Input.OnRegistering(context);
}
