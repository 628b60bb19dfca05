namespace Friture.Streaming.Analyzers.Loudness;

/// <summary>Settings of a <see cref="LoudnessProducer"/>. Validated once, when the producer is created.</summary>
public sealed class LoudnessOptions
{
    /// <summary>
    /// Weight of each input channel in the loudness sum, or <see langword="null"/> (the default) for the ITU-R BS.1770-4
    /// weights of the usual layout for the channel count: 1 mono; 2 L R; 3 L R C; 4 L R Ls Rs; 5 L R C Ls Rs; 6 L R C LFE
    /// Ls Rs (WAVE / SMPTE order), where front channels weigh 1.0, surround channels 1.41 and the LFE 0 (excluded);
    /// channels beyond the sixth weigh 1.0. When given, entry i weighs channel i (0 to 10 each); channels beyond the list
    /// take the default weight. Peaks are measured on every channel whatever its weight.
    /// </summary>
    public IReadOnlyList<double>? ChannelWeights { get; set; }

    /// <summary>
    /// How many 3 s short-term blocks per second feed the loudness range (LRA): 10 (the default, EBU Tech 3342 since
    /// 2016, as ffmpeg's ebur128 filter), or 1 (Tech 3342's first edition, as libebur128); 2 and 5 are also accepted.
    /// The two agree on steady programmes and can differ by about 1 LU on dynamic music (docs/analyzers-loudness.md).
    /// </summary>
    public int RangeBlocksPerSecond { get; set; } = 10;

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public LoudnessOptions Clone() => new()
    {
        ChannelWeights = ChannelWeights is null ? null : [.. ChannelWeights],
        RangeBlocksPerSecond = RangeBlocksPerSecond,
    };

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
        if (RangeBlocksPerSecond is not (1 or 2 or 5 or 10))
        {
            throw new ArgumentOutOfRangeException(
                nameof(RangeBlocksPerSecond),
                RangeBlocksPerSecond,
                $"RangeBlocksPerSecond is {RangeBlocksPerSecond}; it must be 10 (EBU Tech 3342 since 2016, ffmpeg), 1 (libebur128), 2 or 5.");
        }

        if (ChannelWeights is null)
        {
            return;
        }

        for (var i = 0; i < ChannelWeights.Count; i++)
        {
            var weight = ChannelWeights[i];
            if (!(weight is >= 0 and <= 10))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(ChannelWeights),
                    weight,
                    $"ChannelWeights[{i}] is {weight}; each channel weight must be between 0 and 10 (1.0 front, 1.41 surround, 0 excluded).");
            }
        }
    }
}
