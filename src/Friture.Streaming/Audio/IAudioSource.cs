namespace Friture.Streaming.Audio;

/// <summary>
/// A source of audio for the capture loop: a live device, a WAV file, a signal generator, or samples pushed by
/// application code.
/// </summary>
/// <remarks>
/// The capture loop calls <see cref="Start"/>, then <see cref="Read"/> repeatedly on its own thread, then
/// <see cref="Stop"/> (possibly from another thread, to unblock a pending read). Implementations must not allocate in
/// <see cref="Read"/> in steady state.
/// </remarks>
public interface IAudioSource : IDisposable
{
    /// <summary>A human-readable name (device or file name), used in logs and errors.</summary>
    string Name { get; }

    /// <summary>The format of the samples <see cref="Read"/> delivers.</summary>
    AudioFormat Format { get; }

    /// <summary>Opens the device or file and starts delivering audio; the audio clock restarts at frame 0.</summary>
    /// <exception cref="AudioSourceException">The source cannot start; the message names the source and the reason.</exception>
    void Start();

    /// <summary>
    /// Blocks until audio is available, then copies up to <c>destination.Length / Format.Channels</c> whole frames,
    /// interleaved, into <paramref name="destination"/>.
    /// </summary>
    /// <param name="destination">Where to write interleaved samples.</param>
    /// <param name="cancellationToken">Cancels a pending wait; the call then returns 0 frames.</param>
    /// <returns>The frames written, the clock index of the first, and whether the stream ended.</returns>
    /// <exception cref="AudioSourceException">The source failed (device unplugged, daemon gone, corrupt file).</exception>
    AudioReadResult Read(Span<float> destination, CancellationToken cancellationToken);

    /// <summary>Stops delivering audio and releases the device; a blocked <see cref="Read"/> returns.</summary>
    void Stop();
}
