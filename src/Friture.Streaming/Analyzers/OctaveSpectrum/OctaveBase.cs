namespace Friture.Streaming.Analyzers.OctaveSpectrum;

/// <summary>The octave ratio G used to place fractional-octave bands (IEC 61260-1).</summary>
public enum OctaveBase
{
    /// <summary>Base 10: G = 10^(3/10) = 1.99526, the standard's preferred ratio (the default).</summary>
    Base10,

    /// <summary>Base 2: G = 2 (Friture places its bands this way).</summary>
    Base2,
}
