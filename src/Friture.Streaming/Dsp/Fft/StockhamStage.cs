namespace Friture.Streaming.Dsp.Fft;

/// <summary>
/// One pass of the Stockham autosort FFT: sub-transform length <see cref="Length"/>, stride <see cref="Stride"/>,
/// radix 4 (with twiddles W^p, W^2p, W^3p for p &lt; Length/4) or a final twiddle-free radix-2 pass.
/// </summary>
internal readonly unsafe struct StockhamStage
{
    public StockhamStage(int radix, int length, int stride, float* w1r, float* w1i, float* w2r, float* w2i, float* w3r, float* w3i)
    {
        Radix = radix;
        Length = length;
        Stride = stride;
        Quarter = length / radix;
        W1r = w1r;
        W1i = w1i;
        W2r = w2r;
        W2i = w2i;
        W3r = w3r;
        W3i = w3i;
    }

    public int Radix { get; }

    public int Length { get; }

    public int Stride { get; }

    /// <summary>Length / radix: the number of distinct twiddle indices p.</summary>
    public int Quarter { get; }

    public float* W1r { get; }

    public float* W1i { get; }

    public float* W2r { get; }

    public float* W2i { get; }

    public float* W3r { get; }

    public float* W3i { get; }

    public float* TwiddleReal(int k) => k == 1 ? W1r : k == 2 ? W2r : W3r;

    public float* TwiddleImaginary(int k) => k == 1 ? W1i : k == 2 ? W2i : W3i;
}
