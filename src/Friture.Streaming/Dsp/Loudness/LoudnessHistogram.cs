namespace Friture.Streaming.Dsp.Loudness;

/// <summary>
/// Gating blocks of a programme kept as a histogram of 0.01 LU bins from -70 to +30 LUFS, each bin holding its block
/// count and the sum of their energies, so that memory is bounded however long the programme runs and no block is
/// ever stored.
/// </summary>
/// <remarks>
/// <para>
/// Energy here is the channel-weighted mean square of the K-weighted signal, so loudness = -0.691 + 10 log10(energy).
/// Blocks below the -70 LUFS absolute gate are not added (BS.1770-4 never uses them). Means are exact (the energies are
/// summed, not quantised to the bin centre); only the decisions at the relative gate and the percentile ranks of the
/// loudness range are made per bin, so they are exact to 0.01 LU.
/// </para>
/// <para>Allocation: the two arrays in the constructor. Not thread-safe.</para>
/// </remarks>
internal sealed class LoudnessHistogram
{
    /// <summary>The absolute gate of BS.1770-4 and EBU Tech 3342, in LUFS.</summary>
    public const double AbsoluteGateLufs = -70.0;

    /// <summary>Width of one bin in LU.</summary>
    public const double BinWidth = 0.01;

    private const double HighestLufs = 30.0;
    private static readonly double AbsoluteGateEnergy = LoudnessToEnergy(AbsoluteGateLufs);
    private readonly long[] _counts;
    private readonly double[] _energies;
    private long _total;

    /// <summary>Creates an empty histogram.</summary>
    public LoudnessHistogram()
    {
        var bins = (int)Math.Round((HighestLufs - AbsoluteGateLufs) / BinWidth);
        _counts = new long[bins];
        _energies = new double[bins];
    }

    /// <summary>Blocks added (those at or above the absolute gate).</summary>
    public long Count => _total;

    /// <summary>Loudness in LUFS of a block energy.</summary>
    /// <param name="energy">Channel-weighted mean square.</param>
    /// <returns>-0.691 + 10 log10(energy).</returns>
    public static double EnergyToLoudness(double energy) => -0.691 + (10.0 * Math.Log10(energy));

    /// <summary>Block energy of a loudness.</summary>
    /// <param name="lufs">Loudness in LUFS.</param>
    /// <returns>The energy.</returns>
    public static double LoudnessToEnergy(double lufs) => Math.Pow(10.0, (lufs + 0.691) / 10.0);

    /// <summary>Adds one block, unless it is below the absolute gate.</summary>
    /// <param name="energy">The block's energy.</param>
    public void Add(double energy)
    {
        if (!(energy >= AbsoluteGateEnergy))
        {
            return;
        }

        var bin = (int)((EnergyToLoudness(energy) - AbsoluteGateLufs) / BinWidth);
        bin = Math.Clamp(bin, 0, _counts.Length - 1);
        _counts[bin]++;
        _energies[bin] += energy;
        _total++;
    }

    /// <summary>Forgets every block.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Array.Clear(_energies);
        _total = 0;
    }

    /// <summary>
    /// Mean energy of the blocks at or above the relative gate, which sits <paramref name="relativeGateLu"/> below the
    /// loudness of the mean of all blocks (the gated integration of BS.1770-4 with -10 LU).
    /// </summary>
    /// <param name="relativeGateLu">The relative gate in LU, negative (-10 for integrated loudness).</param>
    /// <returns>The gated mean energy, or 0 when no block passes.</returns>
    public double GatedMeanEnergy(double relativeGateLu)
    {
        var first = FirstBinAboveRelativeGate(relativeGateLu);
        if (first < 0)
        {
            return 0;
        }

        long count = 0;
        var sum = 0.0;
        for (var i = first; i < _counts.Length; i++)
        {
            count += _counts[i];
            sum += _energies[i];
        }

        return count > 0 ? sum / count : 0;
    }

    /// <summary>
    /// Loudness range of EBU Tech 3342: among the blocks at or above the relative gate, the loudness at the 95th
    /// percentile minus that at the 10th (ranks taken as libebur128 and the Tech 3342 reference code do:
    /// round((n - 1) p)).
    /// </summary>
    /// <param name="relativeGateLu">The relative gate in LU (-20 for the loudness range).</param>
    /// <param name="low">The 10th-percentile loudness in LUFS.</param>
    /// <param name="high">The 95th-percentile loudness in LUFS.</param>
    /// <returns>Whether any block passed the gates.</returns>
    public bool TryPercentiles(double relativeGateLu, out double low, out double high)
    {
        low = 0;
        high = 0;
        var first = FirstBinAboveRelativeGate(relativeGateLu);
        if (first < 0)
        {
            return false;
        }

        long count = 0;
        for (var i = first; i < _counts.Length; i++)
        {
            count += _counts[i];
        }

        if (count == 0)
        {
            return false;
        }

        var lowRank = (long)(((count - 1) * 0.10) + 0.5);
        var highRank = (long)(((count - 1) * 0.95) + 0.5);
        long seen = 0;
        var lowFound = false;
        for (var i = first; i < _counts.Length; i++)
        {
            if (_counts[i] == 0)
            {
                continue;
            }

            seen += _counts[i];
            var binLoudness = EnergyToLoudness(_energies[i] / _counts[i]);
            if (!lowFound && seen > lowRank)
            {
                low = binLoudness;
                lowFound = true;
            }

            if (seen > highRank)
            {
                high = binLoudness;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first bin whose blocks pass the relative gate; the bin that straddles the gate counts as passing when its
    /// mean energy is at or above the gate. -1 when the histogram is empty.
    /// </summary>
    private int FirstBinAboveRelativeGate(double relativeGateLu)
    {
        if (_total == 0)
        {
            return -1;
        }

        var sum = 0.0;
        foreach (var energy in _energies)
        {
            sum += energy;
        }

        var gate = sum / _total * Math.Pow(10.0, relativeGateLu / 10.0);
        var gateBin = (int)Math.Floor((EnergyToLoudness(gate) - AbsoluteGateLufs) / BinWidth);
        if (gateBin < 0)
        {
            return 0;
        }

        if (gateBin >= _counts.Length)
        {
            return _counts.Length;
        }

        return _counts[gateBin] > 0 && _energies[gateBin] / _counts[gateBin] < gate ? gateBin + 1 : gateBin;
    }
}
