using Friture.Streaming.Producers;

namespace Friture.Streaming.Analyzers;

/// <summary>
/// What one built-in analyzer is: its data type (wire name, payload, default rate), its options type, how to create its
/// producer, and the short name and description that the OSC addresses and the dashboard use.
/// </summary>
/// <remarks>
/// Each analyzer folder declares one (for example <c>Analyzers/Scope/ScopeAnalyzer.cs</c>) and
/// <see cref="BuiltInAnalyzers.All"/> lists them; registration of the default producers, the hosting pipeline, the OSC
/// encoder and the dashboard's metadata (<c>analyzers.json</c>) all read that one list.
/// </remarks>
public sealed class AnalyzerDescriptor
{
    private readonly Func<object?, string?, DataProducer> _factory;
    private readonly Func<DataProducer, object?> _optionsOf;
    private readonly Action<object> _validate;

    private AnalyzerDescriptor(
        DataType dataType,
        string shortName,
        string description,
        Type optionsType,
        Func<object?, string?, DataProducer> factory,
        Func<DataProducer, object?> optionsOf,
        Action<object> validate)
    {
        DataType = dataType;
        ShortName = shortName;
        Description = description;
        OptionsType = optionsType;
        _factory = factory;
        _optionsOf = optionsOf;
        _validate = validate;
    }

    /// <summary>The data type the analyzer's producer emits.</summary>
    public DataType DataType { get; }

    /// <summary>A short name (for example <c>pitch</c> or <c>fft</c>), used in OSC addresses (<c>/friture/pitch</c>).</summary>
    public string ShortName { get; }

    /// <summary>One sentence saying what the analyzer measures.</summary>
    public string Description { get; }

    /// <summary>The analyzer's options type (for example <see cref="Scope.ScopeOptions"/>); its defaults are Friture's.</summary>
    public Type OptionsType { get; }

    /// <summary>
    /// The key of the analyzer's options in settings files and the hosting section (<c>analyzers:&lt;key&gt;</c>): its
    /// wire name, for example <c>fft_spectrum</c> (internal: publicly it is <c>DataType.Name</c>).
    /// </summary>
    internal string SettingsKey => DataType.Name;

    /// <summary>
    /// The default rate limit in Hz, as in the original Friture streaming API (internal: publicly it is
    /// <see cref="RateLimiting.RateLimiter.DefaultRates"/>).
    /// </summary>
    internal double DefaultRateHz => DataType.DefaultRateHz;

    /// <summary>Creates the analyzer's producer.</summary>
    /// <param name="options">Options of type <see cref="OptionsType"/>, or <see langword="null"/> for the defaults.</param>
    /// <param name="producerId">The producer's id, or <see langword="null"/> for a generated one.</param>
    /// <returns>A new producer, not registered.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> is not of type <see cref="OptionsType"/>.</exception>
    public DataProducer CreateProducer(object? options = null, string? producerId = null) => _factory(options, producerId);

    /// <summary>A copy of the options a producer of this analyzer runs with (to change some and build a new producer).</summary>
    /// <param name="producer">A producer.</param>
    /// <returns>Its options, or <see langword="null"/> when it is not this analyzer's producer.</returns>
    internal object? OptionsOf(DataProducer producer) => _optionsOf(producer);

    /// <summary>Checks options of type <see cref="OptionsType"/> with their own <c>Validate()</c>.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">An option is out of range (the exception names it), or the options are of another type.</exception>
    internal void Validate(object options) => _validate(options);

    /// <summary>Declares an analyzer.</summary>
    /// <typeparam name="TOptions">The options type; <c>new TOptions()</c> holds the defaults.</typeparam>
    /// <typeparam name="TProducer">The producer type.</typeparam>
    /// <param name="dataType">The data type, declared in <see cref="Streaming.DataType"/>.</param>
    /// <param name="shortName">The short name.</param>
    /// <param name="description">What the analyzer measures.</param>
    /// <param name="factory">Creates the producer from options and an id.</param>
    /// <param name="optionsOf">A copy of a producer's options.</param>
    /// <param name="validate">Checks options (the options type's <c>Validate()</c>).</param>
    /// <returns>The descriptor.</returns>
    internal static AnalyzerDescriptor Create<TOptions, TProducer>(
        DataType dataType,
        string shortName,
        string description,
        Func<TOptions, string?, TProducer> factory,
        Func<TProducer, TOptions> optionsOf,
        Action<TOptions> validate)
        where TOptions : class, new()
        where TProducer : DataProducer =>
        new(
            dataType,
            shortName,
            description,
            typeof(TOptions),
            (options, producerId) => factory(Typed<TOptions>(dataType, options) ?? new TOptions(), producerId),
            producer => producer is TProducer typed ? optionsOf(typed) : null,
            options => validate(Typed<TOptions>(dataType, options) ?? throw new ArgumentNullException(nameof(options))));

    private static TOptions? Typed<TOptions>(DataType dataType, object? options)
        where TOptions : class => options switch
        {
            null => null,
            TOptions typed => typed,
            _ => throw new ArgumentException(
                $"The {dataType.Name} analyzer takes {typeof(TOptions).Name}, not {options.GetType().Name}.", nameof(options)),
        };
}
