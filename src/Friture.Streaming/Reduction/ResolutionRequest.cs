namespace Friture.Streaming.Reduction;

/// <summary>
/// The resolution one subscriber asks for, per data type: a point budget and frequency range for spectra, a
/// decimated scope, octave band limits. A <see langword="null"/> member means full resolution for that type.
/// </summary>
/// <remarks>
/// <para>
/// Network subscribers get <see cref="NetworkDefault"/> unless they ask otherwise (query string, control message,
/// protocol options); <see cref="Full"/> (<c>resolution=full</c>) sends every payload as produced. Requests are
/// immutable and compared by value: <see cref="PayloadReducer"/> reduces a message once per distinct request, however
/// many clients share it.
/// </para>
/// <para>
/// Reduced payloads are for display: besides the point budget, their numbers are rounded (frequencies to 4
/// significant digits, levels to 0.01 dB, linear magnitudes to 4 significant digits, scope samples to 1e-4 of full
/// scale and times to 10 µs) so they print short in JSON. Payload types other than these four are never changed.
/// </para>
/// </remarks>
public sealed record ResolutionRequest
{
    /// <summary>No reduction at all: every payload as produced (<c>resolution=full</c>).</summary>
    public static ResolutionRequest Full { get; } = new();

    /// <summary>
    /// The defaults for network subscribers, sized so that one client on every type at the CLI's default rates
    /// receives under 300 kB/s of JSON: <c>fft_spectrum</c> and <c>spectrogram</c> 80 log-spaced band maxima from
    /// 20 Hz to 20 kHz, <c>scope</c> 64 points per channel (32 min/max pairs), <c>octave_spectrum</c> every band
    /// (rounded). See <c>docs/wire-format.md</c> for the measured sizes.
    /// </summary>
    public static ResolutionRequest NetworkDefault { get; } = new()
    {
        FftSpectrum = new SpectrumResolution(),
        Spectrogram = new SpectrumResolution(),
        Scope = new ScopeResolution(),
        OctaveSpectrum = new OctaveResolution(),
    };

    /// <summary>Budget and range for <c>fft_spectrum</c>; <see langword="null"/> = full resolution.</summary>
    public SpectrumResolution? FftSpectrum { get; init; }

    /// <summary>Budget and range for <c>spectrogram</c> columns; <see langword="null"/> = full resolution.</summary>
    public SpectrumResolution? Spectrogram { get; init; }

    /// <summary>Point budget for <c>scope</c>; <see langword="null"/> = full resolution.</summary>
    public ScopeResolution? Scope { get; init; }

    /// <summary>Band limits for <c>octave_spectrum</c>; <see langword="null"/> = every band, not rounded.</summary>
    public OctaveResolution? OctaveSpectrum { get; init; }

    /// <summary>Whether nothing is reduced.</summary>
    public bool IsFull => FftSpectrum is null && Spectrogram is null && Scope is null && OctaveSpectrum is null;

    /// <summary>Checks every member; the message names the bad key and its allowed range.</summary>
    /// <returns>An error message, or <see langword="null"/> when valid.</returns>
    public string? Validate() =>
        FftSpectrum?.Validate("fft_spectrum")
        ?? Spectrogram?.Validate("spectrogram")
        ?? Scope?.Validate()
        ?? OctaveSpectrum?.Validate();
}
