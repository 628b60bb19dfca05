using System.Globalization;
using Friture.Streaming.Reduction;
using Microsoft.Extensions.Logging;

namespace Friture.Streaming.Protocols;

/// <summary>
/// Settings every protocol has (clock and logging), and the one range check their validation uses. Each protocol's own
/// options type derives from it.
/// </summary>
/// <remarks>
/// Options are validated once, when the protocol is created (<see cref="StreamingProtocol"/>'s constructor); change them
/// before that, never after handing them to a protocol.
/// </remarks>
public abstract class StreamingProtocolOptions
{
    private ResolutionRequest _resolution = ResolutionRequest.NetworkDefault;

    /// <summary>Clock for rates, keep-alives, timeouts and reconnection delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Logger factory, or <see langword="null"/> (the default) for no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The resolution of large payloads (spectra, scope, octave bands) for subscribers that do not ask for their own:
    /// <see cref="ResolutionRequest.NetworkDefault"/> (sized for the wire, see <c>docs/wire-format.md</c>) unless set;
    /// <see cref="ResolutionRequest.Full"/> sends every payload as produced. Clients of WebSocket, SSE and TCP may
    /// override it per connection. When the protocol is created from settings, the settings' global <c>resolution</c>
    /// applies unless this option was set (<c>docs/configuration.md</c>, "Resolution").
    /// </summary>
    public ResolutionRequest Resolution
    {
        get => _resolution;
        set
        {
            _resolution = value;
            IsResolutionSet = true;
        }
    }

    /// <summary>Whether <see cref="Resolution"/> was set (in code or by the protocol's own <c>options.resolution</c>), not inherited.</summary>
    internal bool IsResolutionSet { get; private set; }

    /// <summary>
    /// Forgets that <see cref="Resolution"/> was set: the configuration binder writes every settable property back, also
    /// the ones its section does not name, so options bound from a section without <c>resolution</c> are marked here.
    /// </summary>
    internal void ResolutionNotSet() => IsResolutionSet = false;

    /// <summary>Takes the settings' global resolution, unless <see cref="Resolution"/> was set on these options.</summary>
    /// <param name="resolution">The global resolution.</param>
    internal void InheritResolution(ResolutionRequest resolution)
    {
        if (!IsResolutionSet)
        {
            _resolution = resolution;
        }
    }

    /// <summary>Checks every option once; the message names the option, the value and the allowed range.</summary>
    /// <remarks>Overrides call the base first, then check their own options, preferably with <see cref="Range{T}"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">An option is not valid.</exception>
    protected internal virtual void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(Resolution, nameof(Resolution));
        if (Resolution.Validate() is { } error)
        {
            throw new ArgumentException($"Resolution: {error}", nameof(Resolution));
        }
    }

    /// <summary>
    /// Throws when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>] (NaN is outside
    /// every range), with a message naming the option, its value and the range; durations are written in seconds.
    /// </summary>
    /// <typeparam name="T">A comparable value: an integer, a floating-point number or a <see cref="TimeSpan"/>.</typeparam>
    /// <param name="name">The option's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="min">Smallest allowed value.</param>
    /// <param name="max">Largest allowed value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range.</exception>
    protected static void Range<T>(string name, T value, T min, T max)
        where T : IComparable<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0 || value is double.NaN or float.NaN)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {Describe(value)}; it must be between {Describe(min)} and {Describe(max)}.");
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        TimeSpan span => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };
}
