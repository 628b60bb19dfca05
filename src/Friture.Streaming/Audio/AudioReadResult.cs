namespace Friture.Streaming.Audio;

/// <summary>What one <see cref="IAudioSource.Read"/> call delivered.</summary>
/// <param name="Frames">Frames written to the destination (0 at end of stream or on cancellation).</param>
/// <param name="FirstFrameIndex">
/// Index of the first delivered frame on the source's clock. When it is greater than the frame index expected after
/// the previous read, the frames in between were lost (an overrun) and the capture loop counts them.
/// </param>
/// <param name="EndOfStream">Whether the source is finished (a file that ended and does not loop).</param>
public readonly record struct AudioReadResult(int Frames, long FirstFrameIndex, bool EndOfStream);
