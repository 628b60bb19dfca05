using Friture.Streaming;
using Friture.Streaming.Configuration;
using Friture.Streaming.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Extension methods live in the namespace users already import for Add* methods.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the Friture analysis pipeline and the hosted service that runs it.</summary>
public static class FritureStreamingServiceCollectionExtensions
{
    /// <summary>The configuration section read by <see cref="AddFritureStreaming(IServiceCollection, IConfiguration, Action{FritureStreamingOptions}?)"/>.</summary>
    public const string ConfigurationSection = "Friture:Streaming";

    /// <summary>
    /// Registers a <see cref="FritureStreamingPipeline"/> (and its <see cref="StreamingApi"/>) as singletons, plus a hosted
    /// service that starts streaming with the host and stops it (files flushed, ports freed) when the host stops.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options in code.</param>
    /// <returns>A builder to add protocol kinds (<c>.AddMqtt()</c>, <c>.AddOsc()</c>); WebSocket, SSE, TCP and UDP are registered.</returns>
    /// <remarks>
    /// Options are registered with <c>AddOptions&lt;FritureStreamingOptions&gt;().ValidateOnStart()</c> and one
    /// <see cref="IValidateOptions{TOptions}"/> that reports every problem at once (an <see cref="OptionsValidationException"/>
    /// when the host starts, or when the pipeline is first resolved).
    /// </remarks>
    public static IFritureStreamingBuilder AddFritureStreaming(this IServiceCollection services, Action<FritureStreamingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddFritureStreamingCore();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Like <see cref="AddFritureStreaming(IServiceCollection, Action{FritureStreamingOptions}?)"/>, binding the options from
    /// the section <c>Friture:Streaming</c> of <paramref name="configuration"/> (for example appsettings.json), then
    /// applying <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration (its root, or the section itself).</param>
    /// <param name="configure">Adjusts the bound options in code.</param>
    /// <returns>A builder to add protocol kinds (<c>.AddMqtt()</c>, <c>.AddOsc()</c>).</returns>
    /// <remarks>
    /// One schema for the whole section: <c>input</c>, <c>analyzers</c>, <c>block_size</c>, <c>endpoints</c>,
    /// <c>rate_limits</c>, <c>buffers</c>, <c>consumers</c> and <c>protocols</c> (each protocol's <c>options</c> are its own
    /// options type). Unknown keys, values of the wrong type and unknown protocol kinds fail validation, every one named.
    /// </remarks>
    public static IFritureStreamingBuilder AddFritureStreaming(this IServiceCollection services, IConfiguration configuration, Action<FritureStreamingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection { Key: "Streaming" } ? configuration : configuration.GetSection(ConfigurationSection);
        var builder = services.AddFritureStreamingCore();
        services.AddOptions<FritureStreamingOptions>().BindFritureStreaming(section);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Binds <paramref name="section"/> onto the options through the settings schema: keys in snake_case or property
    /// names, each protocol's <c>options</c> bound to its kind's options type; unknown keys and wrong types are kept as
    /// problems for validation (all of them, with their paths) instead of being ignored.
    /// </summary>
    /// <param name="builder">The options builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The options builder.</returns>
    public static OptionsBuilder<FritureStreamingOptions> BindFritureStreaming(this OptionsBuilder<FritureStreamingOptions> builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddSingleton<IOptionsChangeTokenSource<FritureStreamingOptions>>(new ConfigurationChangeTokenSource<FritureStreamingOptions>(builder.Name, section));
        builder.Services.AddSingleton<IConfigureOptions<FritureStreamingOptions>>(sp =>
            new ConfigureNamedOptions<FritureStreamingOptions>(builder.Name, options => options.Bind(section, new ProtocolKindSet(sp.GetServices<ProtocolKind>()))));
        return builder;
    }

    private static FritureStreamingBuilder AddFritureStreamingCore(this IServiceCollection services)
    {
        var builder = new FritureStreamingBuilder(services);
        if (services.Any(static d => d.ServiceType == typeof(FritureStreamingPipeline)))
        {
            return builder;
        }

        foreach (var kind in ServerProtocolKinds.All)
        {
            builder.AddProtocolKind(kind);
        }

        services.AddOptions<FritureStreamingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FritureStreamingOptions>, FritureStreamingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new FritureStreamingPipeline(
            sp.GetRequiredService<IOptions<FritureStreamingOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetServices<ProtocolKind>()));
        services.TryAddSingleton(static sp => sp.GetRequiredService<FritureStreamingPipeline>().Api);
        services.AddHostedService<FritureStreamingHostedService>();
        return builder;
    }
}
