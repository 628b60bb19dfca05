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

    /// <summary>Returns a copy, so a producer is unaffected by later changes to the caller's instance.</summary>
    /// <returns>The copy.</returns>
    public LoudnessOptions Clone() => new() { ChannelWeights = ChannelWeights is null ? null : [.. ChannelWeights] };

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the range.</exception>
    public void Validate()
    {
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
