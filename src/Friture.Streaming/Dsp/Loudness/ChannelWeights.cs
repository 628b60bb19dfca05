namespace Friture.Streaming.Dsp.Loudness;

/// <summary>The channel weights of ITU-R BS.1770-4 for the usual layouts, by channel count.</summary>
/// <remarks>
/// Front channels (left, right, centre) weigh 1.0, the surround channels 1.41 (+1.5 dB), the LFE channel 0 (excluded).
/// Layouts by count, in the WAVE / SMPTE channel order: 1 mono; 2 L R; 3 L R C; 4 L R Ls Rs (quad); 5 L R C Ls Rs (5.0);
/// 6 L R C LFE Ls Rs (5.1). Channels beyond the sixth weigh 1.0.
/// </remarks>
internal static class ChannelWeights
{
    /// <summary>Weight of a surround channel (BS.1770-4 table 3).</summary>
    public const double Surround = 1.41;

    /// <summary>Fills the weights for a channel count.</summary>
    /// <param name="weights">One weight per channel.</param>
    public static void Standard(Span<double> weights)
    {
        weights.Fill(1.0);
        switch (weights.Length)
        {
            case 4:
                weights[2] = Surround;
                weights[3] = Surround;
                break;
            case 5:
                weights[3] = Surround;
                weights[4] = Surround;
                break;
            case >= 6:
                weights[3] = 0.0;
                weights[4] = Surround;
                weights[5] = Surround;
                break;
        }
    }
}
