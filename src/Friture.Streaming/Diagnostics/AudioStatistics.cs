namespace Friture.Streaming.Diagnostics;

/// <summary>Audio capture figures.</summary>
public sealed record AudioStatistics
{
    /// <summary>Name of the audio source.</summary>
    public required string Source { get; init; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; init; }

    /// <summary>Channel count.</summary>
    public int Channels { get; init; }

    /// <summary>Frames per block.</summary>
    public int BlockSize { get; init; }

    /// <summary>Whether capture is running.</summary>
    public bool IsCapturing { get; init; }

    /// <summary>Blocks handed to the producers.</summary>
    public long BlocksCaptured { get; init; }

    /// <summary>Audio-clock time of the latest frame, in seconds.</summary>
    public double StreamTime { get; init; }

    /// <summary>Overruns (xruns): times audio was lost because analysis or the backend fell behind.</summary>
    public long Overruns { get; init; }

    /// <summary>Frames lost in those overruns.</summary>
    public long LostFrames { get; init; }
}
