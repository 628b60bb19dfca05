using System.Numerics;

namespace Friture.Streaming.Dsp.Windows;

/// <summary>Window functions for spectral analysis and their calibration gains.</summary>
/// <remarks>
/// Windows are periodic: <c>w[n]</c> for <c>n = 0 .. N-1</c> is the first N points of the symmetric window of length
/// N + 1, so that the frame's FFT sees a whole number of window periods. The functions allocate only when they return a
/// new array (<see cref="Create"/>); <see cref="Fill"/> and <see cref="Apply"/> do not allocate.
/// </remarks>
public static class Window
{
    /// <summary>Default Kaiser shape parameter (beta = 9: about -66 dB side lobes).</summary>
    public const double DefaultKaiserBeta = 9.0;

    /// <summary>Creates a window.</summary>
    /// <param name="type">The window.</param>
    /// <param name="size">Number of points (at least 1).</param>
    /// <param name="kaiserBeta">Kaiser shape parameter beta (0 to 50); ignored by the other windows.</param>
    /// <returns>A new array of <paramref name="size"/> coefficients.</returns>
    public static float[] Create(WindowType type, int size, double kaiserBeta = DefaultKaiserBeta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var w = new float[size];
        Fill(type, w, kaiserBeta);
        return w;
    }

    /// <summary>Fills <paramref name="destination"/> with the window (its length is the window size).</summary>
    /// <param name="type">The window.</param>
    /// <param name="destination">Receives the coefficients.</param>
    /// <param name="kaiserBeta">Kaiser shape parameter beta (0 to 50); ignored by the other windows.</param>
    /// <exception cref="ArgumentOutOfRangeException">The window type or beta is out of range.</exception>
    public static void Fill(WindowType type, Span<float> destination, double kaiserBeta = DefaultKaiserBeta)
    {
        if (kaiserBeta is < 0 or > 50 || double.IsNaN(kaiserBeta))
        {
            throw new ArgumentOutOfRangeException(nameof(kaiserBeta), kaiserBeta, $"Kaiser beta is {kaiserBeta}; it must be between 0 and 50.");
        }

        var n = destination.Length;
        var i0Beta = BesselI0(kaiserBeta);
        for (var i = 0; i < n; i++)
        {
            var x = 2.0 * Math.PI * i / n;
            destination[i] = (float)(type switch
            {
                WindowType.Rectangular => 1.0,
                WindowType.Hann => 0.5 - (0.5 * Math.Cos(x)),
                WindowType.Hamming => 0.54 - (0.46 * Math.Cos(x)),
                WindowType.Blackman => 0.42 - (0.5 * Math.Cos(x)) + (0.08 * Math.Cos(2 * x)),
                WindowType.BlackmanHarris => 0.35875 - (0.48829 * Math.Cos(x)) + (0.14128 * Math.Cos(2 * x)) - (0.01168 * Math.Cos(3 * x)),
                WindowType.FlatTop => 0.21557895 - (0.41663158 * Math.Cos(x)) + (0.277263158 * Math.Cos(2 * x))
                    - (0.083578947 * Math.Cos(3 * x)) + (0.006947368 * Math.Cos(4 * x)),
                WindowType.Kaiser => KaiserPoint(i, n, kaiserBeta, i0Beta),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, $"window is {type}; it must be one of the {nameof(WindowType)} values."),
            });
        }
    }

    /// <summary>Coherent gain: the mean of the coefficients (1 for rectangular, 0.5 for Hann).</summary>
    /// <param name="window">The coefficients.</param>
    /// <returns>sum(w) / N; a sine of amplitude A on a bin centre gives |X[k]| = A N gain / 2.</returns>
    public static double CoherentGain(ReadOnlySpan<float> window)
    {
        var sum = 0.0;
        foreach (var w in window)
        {
            sum += w;
        }

        return window.IsEmpty ? 0 : sum / window.Length;
    }

    /// <summary>Power gain: the mean of the squared coefficients (used for noise power and equivalent noise bandwidth).</summary>
    /// <param name="window">The coefficients.</param>
    /// <returns>sum(w^2) / N.</returns>
    public static double PowerGain(ReadOnlySpan<float> window)
    {
        var sum = 0.0;
        foreach (var w in window)
        {
            sum += (double)w * w;
        }

        return window.IsEmpty ? 0 : sum / window.Length;
    }

    /// <summary>Multiplies <paramref name="samples"/> by <paramref name="window"/> into <paramref name="destination"/>.</summary>
    /// <param name="samples">Input frame.</param>
    /// <param name="window">Window coefficients, as long as the frame.</param>
    /// <param name="destination">Windowed frame; may be the same span as <paramref name="samples"/>.</param>
    public static void Apply(ReadOnlySpan<float> samples, ReadOnlySpan<float> window, Span<float> destination)
    {
        if (window.Length != samples.Length || destination.Length < samples.Length)
        {
            throw new ArgumentException($"the window has {window.Length} points, the frame {samples.Length} and the destination {destination.Length}; they must match.", nameof(window));
        }

        // Lengths checked above: unchecked loads and stores.
        ref var x = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(samples);
        ref var w = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(window);
        ref var y = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        var i = 0;
        var width = System.Numerics.Vector<float>.Count;
        for (; i + width <= samples.Length; i += width)
        {
            (System.Numerics.Vector.LoadUnsafe(ref x, (nuint)i) * System.Numerics.Vector.LoadUnsafe(ref w, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }

        for (; i < samples.Length; i++)
        {
            System.Runtime.CompilerServices.Unsafe.Add(ref y, i) = System.Runtime.CompilerServices.Unsafe.Add(ref x, i) * System.Runtime.CompilerServices.Unsafe.Add(ref w, i);
        }
    }

    /// <summary>Zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    /// <param name="x">Argument.</param>
    /// <returns>I0(x).</returns>
    internal static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var q = x * x / 4.0;
        for (var k = 1; k < 500; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    private static double KaiserPoint(int i, int n, double beta, double i0Beta)
    {
        // Periodic: the symmetric window of length n + 1, whose centre is at n / 2.
        var r = (2.0 * i / n) - 1.0;
        return BesselI0(beta * Math.Sqrt(Math.Max(0.0, 1.0 - (r * r)))) / i0Beta;
    }
}
