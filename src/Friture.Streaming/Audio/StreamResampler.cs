using NAudio.Dsp;

namespace Friture.Streaming.Audio;

/// <summary>
/// Converts interleaved float audio from one sample rate to another as it streams in, with NAudio's WDL resampler in
/// windowed-sinc mode.
/// </summary>
/// <remarks>
/// Input-driven: every call to <see cref="Process"/> consumes all the input frames given and writes whatever output
/// they complete (the filter holds back about <see cref="SincTaps"/> / 2 input frames of latency). The sinc mode is
/// used rather than NAudio's default linear interpolation with IIR filters because its stop band is far deeper. With
/// 128 taps, 48 to 44.1 kHz: flat within 0.01 dB up to 90 % of the output Nyquist frequency, a tone 2.5 % above it
/// (22.6 kHz) comes out 64 dB down, 23 kHz 109 dB down (64 taps gave only 23 and 33 dB; see docs/audio-input.md and
/// <c>StreamResamplerTests</c>).
/// Buffers live in the resampler and the caller's spans; steady state allocates nothing.
/// </remarks>
internal sealed class StreamResampler
{
    /// <summary>Length of the windowed-sinc kernel, in input frames.</summary>
    public const int SincTaps = 128;

    private readonly WdlResampler _resampler = new();
    private readonly int _channels;

    /// <summary>Creates a resampler.</summary>
    /// <param name="inputRate">Input sample rate in Hz.</param>
    /// <param name="outputRate">Output sample rate in Hz.</param>
    /// <param name="channels">Interleaved channels.</param>
    /// <param name="sincTaps">Kernel length in input frames.</param>
    public StreamResampler(int inputRate, int outputRate, int channels, int sincTaps = SincTaps)
    {
        InputRate = inputRate;
        OutputRate = outputRate;
        _channels = channels;
        _resampler.SetMode(interp: true, filtercnt: 0, sinc: true, sinc_size: sincTaps, sinc_interpsize: 32);
        _resampler.SetFeedMode(wantInputDriven: true);
        _resampler.SetRates(inputRate, outputRate);
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>The most output frames <see cref="Process"/> can write for <paramref name="inputFrames"/> input frames.</summary>
    /// <param name="inputFrames">Input frames.</param>
    /// <returns>An upper bound on the output frames.</returns>
    public int MaxOutputFrames(int inputFrames) => (int)(((long)inputFrames * OutputRate / InputRate) + 2);

    /// <summary>Resamples a block.</summary>
    /// <param name="input">Interleaved input samples (whole frames).</param>
    /// <param name="output">Room for at least <see cref="MaxOutputFrames"/> frames.</param>
    /// <returns>Frames written to <paramref name="output"/>.</returns>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        var frames = input.Length / _channels;
        var wanted = _resampler.ResamplePrepare(frames, _channels, out var inBuffer);
        input[..(wanted * _channels)].CopyTo(inBuffer);
        return _resampler.ResampleOut(output, wanted, output.Length / _channels, _channels);
    }

    /// <summary>Forgets the history (after a restart).</summary>
    public void Reset() => _resampler.Reset();
}
