namespace Friture.Streaming.Audio;

/// <summary>Sample rate and channel count of an audio stream (samples are always float32, interleaved, full scale = 1.0).</summary>
public readonly record struct AudioFormat
{
    /// <summary>Lowest supported sample rate in Hz.</summary>
    public const int MinSampleRate = 8_000;

    /// <summary>Highest supported sample rate in Hz.</summary>
    public const int MaxSampleRate = 192_000;

    /// <summary>Most channels supported.</summary>
    public const int MaxChannels = 32;

    /// <summary>Creates a format.</summary>
    /// <param name="sampleRate">Sample rate in Hz, 8000 to 192000.</param>
    /// <param name="channels">Channel count, 1 to 32.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it and the range.</exception>
    public AudioFormat(int sampleRate, int channels)
    {
        if (sampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate,
                $"sample_rate is {sampleRate} Hz; it must be between {MinSampleRate} and {MaxSampleRate} Hz.");
        }

        if (channels is < 1 or > MaxChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels,
                $"channels is {channels}; it must be between 1 and {MaxChannels}.");
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Number of interleaved channels.</summary>
    public int Channels { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{SampleRate} Hz, {Channels} ch, float32";
}
