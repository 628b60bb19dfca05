namespace Friture.Streaming.Dsp.Common;

/// <summary>
/// Maps an FFT power spectrum (bins k * binWidth, k = 0 .. binCount-1) onto output points with given band edges: each
/// point takes the highest bin power inside its band, or, when no bin falls inside (narrow bands at low frequencies),
/// the power interpolated linearly at the band centre.
/// </summary>
/// <remarks>Band tables are built in the constructor; <see cref="Process"/> does not allocate.</remarks>
internal sealed class SpectrumResampler
{
    private readonly int[] _lo;
    private readonly int[] _hi;
    private readonly int[] _interpBin;
    private readonly float[] _interpFrac;

    /// <param name="binWidth">Hz per bin.</param>
    /// <param name="binCount">Number of input bins.</param>
    /// <param name="edges">Band edges in Hz, ascending, one more than the number of points.</param>
    /// <param name="centres">Point centre frequencies in Hz.</param>
    public SpectrumResampler(double binWidth, int binCount, ReadOnlySpan<double> edges, ReadOnlySpan<double> centres)
    {
        var points = centres.Length;
        _lo = new int[points];
        _hi = new int[points];
        _interpBin = new int[points];
        _interpFrac = new float[points];
        Centres = new float[points];
        for (var i = 0; i < points; i++)
        {
            Centres[i] = (float)centres[i];
            var lo = (int)Math.Ceiling(edges[i] / binWidth);
            var hi = (int)Math.Ceiling(edges[i + 1] / binWidth);
            _lo[i] = Math.Clamp(lo, 0, binCount);
            _hi[i] = Math.Clamp(hi, 0, binCount);
            var position = Math.Clamp(centres[i] / binWidth, 0, binCount - 1);
            var k = Math.Min((int)Math.Floor(position), binCount - 2);
            _interpBin[i] = k;
            _interpFrac[i] = (float)(position - k);
        }
    }

    /// <summary>Centre frequency of each output point in Hz.</summary>
    public float[] Centres { get; }

    public int PointCount => Centres.Length;

    public void Process(ReadOnlySpan<float> power, Span<float> output)
    {
        for (var i = 0; i < _lo.Length; i++)
        {
            int lo = _lo[i], hi = _hi[i];
            if (hi > lo)
            {
                output[i] = VectorMath.Max(power[lo..hi]);
            }
            else
            {
                var k = _interpBin[i];
                output[i] = power[k] + (_interpFrac[i] * (power[k + 1] - power[k]));
            }
        }
    }

    /// <summary>Builds equally spaced edges and centres on a scale given by a forward and inverse mapping.</summary>
    public static void Edges(double min, double max, int points, Func<double, double> toScale, Func<double, double> fromScale, Span<double> edges, Span<double> centres)
    {
        var a = toScale(min);
        var b = toScale(max);
        for (var j = 0; j <= points; j++)
        {
            edges[j] = fromScale(a + ((b - a) * j / points));
        }

        for (var j = 0; j < points; j++)
        {
            centres[j] = fromScale(a + ((b - a) * (j + 0.5) / points));
        }
    }
}
