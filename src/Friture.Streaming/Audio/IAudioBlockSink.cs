namespace Friture.Streaming.Audio;

/// <summary>Where the capture loop delivers blocks and reports trouble (implemented by the streaming engine).</summary>
internal interface IAudioBlockSink
{
    /// <summary>A block was captured. Called on the capture thread; must not block.</summary>
    void OnAudioBlock(in AudioBlock block);

    /// <summary>Frames were lost between two blocks (an overrun of <paramref name="lostFrames"/> frames).</summary>
    void OnOverrun(long lostFrames, double streamTime);

    /// <summary>The source failed; capture has stopped but the API stays usable.</summary>
    void OnSourceFailed(IAudioSource source, Exception exception);

    /// <summary>A finite source reached its end.</summary>
    void OnEndOfStream(IAudioSource source);
}
