namespace Friture.Streaming.Dsp.Common;

/// <summary>A second-order IIR section (transposed direct form II, double-precision state), normalised so a0 = 1.</summary>
internal struct Biquad
{
    private readonly double _b0;
    private readonly double _b1;
    private readonly double _b2;
    private readonly double _a1;
    private readonly double _a2;
    private double _z1;
    private double _z2;

    public Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
    {
        _b0 = b0 / a0;
        _b1 = b1 / a0;
        _b2 = b2 / a0;
        _a1 = a1 / a0;
        _a2 = a2 / a0;
        _z1 = 0;
        _z2 = 0;
    }

    /// <summary>
    /// Digitises the analog section (b0 s^2 + b1 s + b2) / (a0 s^2 + a1 s + a2) by the bilinear transform
    /// s = 2 fs (1 - 1/z) / (1 + 1/z), without prewarping.
    /// </summary>
    public static Biquad Bilinear(double b0, double b1, double b2, double a0, double a1, double a2, double sampleRate)
    {
        var k = 2.0 * sampleRate;
        var kk = k * k;
        return new Biquad(
            (b0 * kk) + (b1 * k) + b2,
            2.0 * (b2 - (b0 * kk)),
            (b0 * kk) - (b1 * k) + b2,
            (a0 * kk) + (a1 * k) + a2,
            2.0 * (a2 - (a0 * kk)),
            (a0 * kk) - (a1 * k) + a2);
    }

    public readonly Biquad Scaled(double gain) => new(_b0 * gain, _b1 * gain, _b2 * gain, 1.0, _a1, _a2);

    public double Process(double x)
    {
        var y = (_b0 * x) + _z1;
        _z1 = (_b1 * x) - (_a1 * y) + _z2;
        _z2 = (_b2 * x) - (_a2 * y);
        return y;
    }

    public void Reset()
    {
        _z1 = 0;
        _z2 = 0;
    }

    /// <summary>Complex gain magnitude at a frequency (for design checks and tests).</summary>
    public readonly double Magnitude(double frequency, double sampleRate)
    {
        var w = 2.0 * Math.PI * frequency / sampleRate;
        var z1 = System.Numerics.Complex.FromPolarCoordinates(1, -w);
        var z2 = z1 * z1;
        var num = _b0 + (_b1 * z1) + (_b2 * z2);
        var den = 1.0 + (_a1 * z1) + (_a2 * z2);
        return (num / den).Magnitude;
    }
}
