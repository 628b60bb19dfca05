namespace Friture.Streaming.Audio;

/// <summary>
/// One block of interleaved float32 audio handed by the capture loop to the producers, stamped with the index of its
/// first frame on the sample-accurate audio clock.
/// </summary>
/// <remarks>The samples are only valid during the call that receives the block; copy what must be kept.</remarks>
public readonly ref struct AudioBlock
{
    /// <summary>Creates a block.</summary>
    /// <param name="samples">Interleaved samples; the length must be a multiple of <paramref name="format"/>'s channel count.</param>
    /// <param name="format">The stream format.</param>
    /// <param name="firstFrameIndex">Index of the first frame since the stream started (the audio clock).</param>
    /// <exception cref="ArgumentException">The sample count is not a whole number of frames.</exception>
    public AudioBlock(ReadOnlySpan<float> samples, AudioFormat format, long firstFrameIndex)
    {
        if (format.Channels == 0 || samples.Length % format.Channels != 0)
        {
            throw new ArgumentException(
                $"An audio block of {samples.Length} samples is not a whole number of {format.Channels}-channel frames.",
                nameof(samples));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(firstFrameIndex);
        Samples = samples;
        Format = format;
        FirstFrameIndex = firstFrameIndex;
    }

    /// <summary>Interleaved samples, full scale = 1.0.</summary>
    public ReadOnlySpan<float> Samples { get; }

    /// <summary>The stream format.</summary>
    public AudioFormat Format { get; }

    /// <summary>Index of the first frame on the audio clock.</summary>
    public long FirstFrameIndex { get; }

    /// <summary>Number of frames (samples per channel) in the block.</summary>
    public int FrameCount => Samples.Length / Format.Channels;

    /// <summary>Index one past the last frame (the frame index the next block starts at when nothing is lost).</summary>
    public long EndFrameIndex => FirstFrameIndex + FrameCount;

    /// <summary>Audio-clock time of the first frame, in seconds.</summary>
    public double StartTime => (double)FirstFrameIndex / Format.SampleRate;

    /// <summary>Audio-clock time just after the last frame, in seconds.</summary>
    public double EndTime => (double)EndFrameIndex / Format.SampleRate;
}
