using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Friture.Streaming.Data;

namespace Friture.Streaming;

/// <summary>
/// A kind of analysis data that can be streamed, such as <see cref="PitchTracker"/> or <see cref="FftSpectrum"/>.
/// </summary>
/// <remarks>
/// <para>
/// The built-in types mirror the Friture docks, plus loudness (EBU R128); each is declared once here (wire name, payload JSON metadata, the
/// default rate) and once in its analyzer folder (options, factory, description: see
/// <see cref="Analyzers.BuiltInAnalyzers"/>). Applications add their own with
/// <see cref="Register{TPayload}(string, JsonTypeInfo{TPayload})"/>; a registered type works everywhere a built-in one does
/// (rate limits, buffers, consumers, protocols, settings).
/// </para>
/// <para>
/// Instances are unique per <see cref="Name"/>, so reference equality and <c>==</c> agree. The wire name
/// (<see cref="Name"/>) is what appears as <c>data_type</c> in JSON.
/// </para>
/// </remarks>
[JsonConverter(typeof(DataTypeJsonConverter))]
public sealed class DataType : IEquatable<DataType>
{
    private static readonly ConcurrentDictionary<string, DataType> Registry = new(StringComparer.Ordinal);
    private static readonly Lock RegistrationLock = new();
    private static DataType[] _all = [];
    private static DataType[] _builtIn = [];

    /// <summary>Pitch tracking (<see cref="PitchData"/>), wire name <c>pitch_tracker</c>.</summary>
    public static DataType PitchTracker { get; } = RegisterBuiltIn("pitch_tracker", PayloadJsonContext.Default.PitchData, defaultRateHz: 50);

    /// <summary>FFT spectrum (<see cref="FftSpectrumData"/>), wire name <c>fft_spectrum</c>.</summary>
    public static DataType FftSpectrum { get; } = RegisterBuiltIn("fft_spectrum", PayloadJsonContext.Default.FftSpectrumData, defaultRateHz: 30);

    /// <summary>Octave and fractional-octave bands (<see cref="OctaveSpectrumData"/>), wire name <c>octave_spectrum</c>.</summary>
    public static DataType OctaveSpectrum { get; } = RegisterBuiltIn("octave_spectrum", PayloadJsonContext.Default.OctaveSpectrumData, defaultRateHz: 20);

    /// <summary>Peak, RMS and peak-hold levels (<see cref="LevelsData"/>), wire name <c>levels</c>.</summary>
    public static DataType Levels { get; } = RegisterBuiltIn("levels", PayloadJsonContext.Default.LevelsData, defaultRateHz: 100);

    /// <summary>Inter-channel delay (<see cref="DelayEstimatorData"/>), wire name <c>delay_estimator</c>.</summary>
    public static DataType DelayEstimator { get; } = RegisterBuiltIn("delay_estimator", PayloadJsonContext.Default.DelayEstimatorData, defaultRateHz: 10);

    /// <summary>Spectrogram columns (<see cref="SpectrogramData"/>), wire name <c>spectrogram</c>.</summary>
    public static DataType Spectrogram { get; } = RegisterBuiltIn("spectrogram", PayloadJsonContext.Default.SpectrogramData, defaultRateHz: 25);

    /// <summary>Time-domain waveform (<see cref="ScopeData"/>), wire name <c>scope</c>.</summary>
    public static DataType Scope { get; } = RegisterBuiltIn("scope", PayloadJsonContext.Default.ScopeData, defaultRateHz: 60);

    /// <summary>Programme loudness after ITU-R BS.1770-4 / EBU R128 (<see cref="LoudnessData"/>), wire name <c>loudness</c>.</summary>
    public static DataType Loudness { get; } = RegisterBuiltIn("loudness", PayloadJsonContext.Default.LoudnessData, defaultRateHz: 10);

    private DataType(string name, Type payloadType, JsonTypeInfo payloadTypeInfo, int index, bool isBuiltIn, double defaultRateHz)
    {
        Name = name;
        // Names are lower-case ASCII letters, digits and underscores (ValidateName): no encoder escapes any of them, so
        // the pre-encoded text is what every writer would write.
        JsonName = System.Text.Json.JsonEncodedText.Encode(name);
        PayloadType = payloadType;
        PayloadTypeInfo = payloadTypeInfo;
        Index = index;
        IsBuiltIn = isBuiltIn;
        DefaultRateHz = defaultRateHz;
    }

    /// <summary>The wire name, in snake_case (for example <c>pitch_tracker</c>).</summary>
    public string Name { get; }

    /// <summary><see cref="Name"/> encoded once for JSON writers.</summary>
    internal System.Text.Json.JsonEncodedText JsonName { get; }

    /// <summary>The payload record type carried in <see cref="StreamingData.Data"/> for this data type.</summary>
    public Type PayloadType { get; }

    /// <summary>Whether this is one of the types that ship with the library.</summary>
    public bool IsBuiltIn { get; }

    /// <summary>The built-in data types, in the order of the properties above (that of the original Friture streaming API).</summary>
    public static IReadOnlyList<DataType> BuiltIn => Volatile.Read(ref _builtIn);

    /// <summary>Every registered data type, built-in ones first.</summary>
    public static IReadOnlyList<DataType> All => Volatile.Read(ref _all);

    internal JsonTypeInfo PayloadTypeInfo { get; }

    /// <summary>The default rate limit of a built-in type in Hz, as in the original Friture streaming API (<see cref="RateLimiting.RateLimiter.DefaultRates"/>); 0 for application types.</summary>
    internal double DefaultRateHz { get; }

    /// <summary>Dense index (0 .. All.Count-1) used for lock-free per-type arrays on the real-time path.</summary>
    internal int Index { get; }

    /// <summary>
    /// Registers an application-defined data type (<c>CUSTOM_ANALYSIS</c> in the original Friture streaming API example), or returns the
    /// existing one when <paramref name="name"/> is already registered with the same payload type.
    /// </summary>
    /// <typeparam name="TPayload">The payload record, derived from <see cref="StreamingPayload"/>.</typeparam>
    /// <param name="name">Wire name: lower-case letters, digits and underscores, starting with a letter, at most 64 characters.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for the payload (from a <see cref="JsonSerializerContext"/>), so that serialization needs no reflection.</param>
    /// <returns>The data type.</returns>
    /// <exception cref="ArgumentException">The name is not valid, or is taken by a different payload type.</exception>
    public static DataType Register<TPayload>(string name, JsonTypeInfo<TPayload> typeInfo)
        where TPayload : StreamingPayload
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return RegisterCore(name, typeof(TPayload), typeInfo, isBuiltIn: false, defaultRateHz: 0);
    }

    /// <summary>Looks a data type up by wire name.</summary>
    /// <param name="name">The wire name, for example <c>levels</c>.</param>
    /// <param name="dataType">The data type when found.</param>
    /// <returns><see langword="true"/> when the name is registered.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, [NotNullWhen(true)] out DataType? dataType)
    {
        if (name is null)
        {
            dataType = null;
            return false;
        }

        return Registry.TryGetValue(name, out dataType);
    }

    /// <summary>Looks a data type up by wire name.</summary>
    /// <param name="name">The wire name, for example <c>levels</c>.</param>
    /// <returns>The data type.</returns>
    /// <exception cref="ArgumentException">No data type has that name; the message lists the known names.</exception>
    public static DataType Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Registry.TryGetValue(name, out var dataType))
        {
            return dataType;
        }

        throw new ArgumentException(
            $"Unknown data type '{name}'. Known data types: {string.Join(", ", All.Select(static t => t.Name))}.",
            nameof(name));
    }

    /// <inheritdoc/>
    public bool Equals(DataType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc/>
    public override int GetHashCode() => Index;

    /// <summary>Returns the wire name.</summary>
    /// <returns>The wire name.</returns>
    public override string ToString() => Name;

    /// <summary>Compares two data types.</summary>
    /// <param name="left">The first data type.</param>
    /// <param name="right">The second data type.</param>
    /// <returns>Whether both are the same data type.</returns>
    public static bool operator ==(DataType? left, DataType? right) => ReferenceEquals(left, right);

    /// <summary>Compares two data types.</summary>
    /// <param name="left">The first data type.</param>
    /// <param name="right">The second data type.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(DataType? left, DataType? right) => !ReferenceEquals(left, right);

    private static DataType RegisterBuiltIn(string name, JsonTypeInfo typeInfo, double defaultRateHz) =>
        RegisterCore(name, typeInfo.Type, typeInfo, isBuiltIn: true, defaultRateHz);

    private static DataType RegisterCore(string name, Type payloadType, JsonTypeInfo typeInfo, bool isBuiltIn, double defaultRateHz)
    {
        ValidateName(name);
        lock (RegistrationLock)
        {
            if (Registry.TryGetValue(name, out var existing))
            {
                if (existing.PayloadType != payloadType)
                {
                    throw new ArgumentException(
                        $"Data type '{name}' is already registered with payload {existing.PayloadType.Name}; it cannot be registered again with {payloadType.Name}.",
                        nameof(name));
                }

                return existing;
            }

            var all = _all;
            var dataType = new DataType(name, payloadType, typeInfo, all.Length, isBuiltIn, defaultRateHz);
            Registry[name] = dataType;
            Volatile.Write(ref _all, [.. all, dataType]);
            if (isBuiltIn)
            {
                Volatile.Write(ref _builtIn, [.. _builtIn, dataType]);
            }
            return dataType;
        }
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var valid = name.Length is > 0 and <= 64 && char.IsAsciiLetterLower(name[0]);
        foreach (var c in name)
        {
            valid &= char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_';
        }

        if (!valid)
        {
            throw new ArgumentException(
                $"Data type name '{name}' is not valid: use 1 to 64 lower-case ASCII letters, digits or underscores, starting with a letter.",
                nameof(name));
        }
    }
}
