namespace Friture.Streaming.Dsp.Filters;

/// <summary>One fractional-octave band of IEC 61260-1.</summary>
/// <param name="Index">Band index <c>x</c> relative to the 1 kHz reference (0 is the band at or just above 1 kHz).</param>
/// <param name="CenterHz">Exact mid-band frequency in Hz.</param>
/// <param name="LowerHz">Lower band-edge frequency in Hz.</param>
/// <param name="UpperHz">Upper band-edge frequency in Hz.</param>
/// <param name="Label">Nominal mid-band frequency as a label (for example <c>31.5</c> or <c>1.25k</c>).</param>
internal readonly record struct FractionalOctaveBand(int Index, double CenterHz, double LowerHz, double UpperHz, string Label);
