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

    private AnalyzerDescriptor(DataType dataType, string shortName, string description, Type optionsType, Func<object?, string?, DataProducer> factory)
    {
        DataType = dataType;
        ShortName = shortName;
        Description = description;
        OptionsType = optionsType;
        _factory = factory;
    }

    /// <summary>The data type the analyzer's producer emits.</summary>
    public DataType DataType { get; }

    /// <summary>A short name (for example <c>pitch</c> or <c>fft</c>), used in OSC addresses (<c>/friture/pitch</c>).</summary>
    public string ShortName { get; }

    /// <summary>One sentence saying what the analyzer measures.</summary>
    public string Description { get; }

    /// <summary>The analyzer's options type (for example <see cref="Scope.ScopeOptions"/>); its defaults are Friture's.</summary>
    public Type OptionsType { get; }

    /// <summary>The seed's default rate limit in Hz (<see cref="RateLimiting.RateLimiter.DefaultRates"/>).</summary>
    public double DefaultRateHz => DataType.DefaultRateHz;

    /// <summary>Creates the analyzer's producer.</summary>
    /// <param name="options">Options of type <see cref="OptionsType"/>, or <see langword="null"/> for the defaults.</param>
    /// <param name="producerId">The producer's id, or <see langword="null"/> for a generated one.</param>
    /// <returns>A new producer, not registered.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> is not of type <see cref="OptionsType"/>.</exception>
    public DataProducer CreateProducer(object? options = null, string? producerId = null) => _factory(options, producerId);

    /// <summary>Declares an analyzer.</summary>
    /// <typeparam name="TOptions">The options type; <c>new TOptions()</c> holds the defaults.</typeparam>
    /// <param name="dataType">The data type, declared in <see cref="Streaming.DataType"/>.</param>
    /// <param name="shortName">The short name.</param>
    /// <param name="description">What the analyzer measures.</param>
    /// <param name="factory">Creates the producer from options and an id.</param>
    /// <returns>The descriptor.</returns>
    internal static AnalyzerDescriptor Create<TOptions>(DataType dataType, string shortName, string description, Func<TOptions, string?, DataProducer> factory)
        where TOptions : class, new() =>
        new(dataType, shortName, description, typeof(TOptions), (options, producerId) => options switch
        {
            null => factory(new TOptions(), producerId),
            TOptions typed => factory(typed, producerId),
            _ => throw new ArgumentException(
                $"The {dataType.Name} analyzer takes {typeof(TOptions).Name}, not {options.GetType().Name}.", nameof(options)),
        });
}
