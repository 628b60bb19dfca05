using Friture.Streaming.Dsp.Common;

namespace Friture.Streaming.Dsp.Weighting;

/// <summary>
/// Time-domain A or C weighting filter for one channel: the IEC 61672-1 analog poles and zeros digitised by the
/// bilinear transform as a cascade of biquads, scaled to the analytic gain at 1 kHz.
/// </summary>
/// <remarks>
/// Within the class 1 tolerances of IEC 61672-1 at 44.1 and 48 kHz (the tests check every one-third-octave frequency
/// from 10 Hz to 20 kHz); the bilinear transform's frequency warping makes the response fall short of the analytic curve
/// above 10 kHz (-1.2 dB at 10 kHz, -6.2 dB at 16 kHz at 48 kHz), inside the class 1 lower limits. Z passes the signal
/// through. B has no time-domain filter. Processing does not allocate. Not thread-safe: one instance per channel.
/// </remarks>
internal sealed class WeightingFilter
{
    private readonly Biquad[] _sections;

    public WeightingFilter(FrequencyWeighting weighting, double sampleRate)
    {
        Weighting = weighting;
        SampleRate = sampleRate;
        var w1 = 2 * Math.PI * WeightingCurves.F1;
        var w2 = 2 * Math.PI * WeightingCurves.F2;
        var w3 = 2 * Math.PI * WeightingCurves.F3;
        var w4 = 2 * Math.PI * WeightingCurves.F4;
        _sections = weighting switch
        {
            FrequencyWeighting.Z => [],
            FrequencyWeighting.A =>
            [
                Biquad.Bilinear(1, 0, 0, 1, 2 * w1, w1 * w1, sampleRate),
                Biquad.Bilinear(1, 0, 0, 1, w2 + w3, w2 * w3, sampleRate),
                Biquad.Bilinear(0, 0, w4 * w4, 1, 2 * w4, w4 * w4, sampleRate),
            ],
            FrequencyWeighting.C =>
            [
                Biquad.Bilinear(1, 0, 0, 1, 2 * w1, w1 * w1, sampleRate),
                Biquad.Bilinear(0, 0, w4 * w4, 1, 2 * w4, w4 * w4, sampleRate),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(weighting), weighting,
                $"weighting is {weighting}; time-domain weighting supports A, C and Z."),
        };

        if (_sections.Length > 0)
        {
            var target = WeightingCurves.Gain(weighting, 1000.0);
            _sections[0] = _sections[0].Scaled(target / MagnitudeAt(1000.0));
        }
    }

    public FrequencyWeighting Weighting { get; }

    public double SampleRate { get; }

    /// <summary>Filters <paramref name="input"/> into <paramref name="output"/> (may be the same span).</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_sections.Length == 0)
        {
            input.CopyTo(output);
            return;
        }

        var sections = _sections.AsSpan();
        for (var i = 0; i < input.Length; i++)
        {
            double v = input[i];
            for (var s = 0; s < sections.Length; s++)
            {
                v = sections[s].Process(v);
            }

            output[i] = (float)v;
        }
    }

    /// <summary>Filters one sample.</summary>
    public float Process(float x)
    {
        double v = x;
        var sections = _sections.AsSpan();
        for (var s = 0; s < sections.Length; s++)
        {
            v = sections[s].Process(v);
        }

        return (float)v;
    }

    /// <summary>The filter's gain in dB at a frequency (from its coefficients).</summary>
    public double ResponseDb(double frequency) => 20.0 * Math.Log10(MagnitudeAt(frequency));

    public void Reset()
    {
        for (var s = 0; s < _sections.Length; s++)
        {
            _sections[s].Reset();
        }
    }

    private double MagnitudeAt(double frequency)
    {
        var g = 1.0;
        foreach (var section in _sections)
        {
            g *= section.Magnitude(frequency, SampleRate);
        }

        return g;
    }
}
