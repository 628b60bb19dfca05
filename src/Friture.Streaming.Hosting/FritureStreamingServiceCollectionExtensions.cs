using Friture.Streaming;
using Friture.Streaming.Configuration;
using Friture.Streaming.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

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
    /// <returns>The services.</returns>
    /// <remarks>Options are validated when the pipeline is first resolved (at host start at the latest).</remarks>
    public static IServiceCollection AddFritureStreaming(this IServiceCollection services, Action<FritureStreamingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddFritureStreamingCore(_ =>
        {
            var options = new FritureStreamingOptions();
            configure?.Invoke(options);
            return options;
        });
    }

    /// <summary>
    /// Like <see cref="AddFritureStreaming(IServiceCollection, Action{FritureStreamingOptions}?)"/>, reading the options from
    /// the section <c>Friture:Streaming</c> of <paramref name="configuration"/> (for example appsettings.json), then
    /// applying <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration (its root, or the section itself).</param>
    /// <param name="configure">Adjusts the bound options in code.</param>
    /// <returns>The services.</returns>
    /// <remarks>
    /// <c>input</c>, <c>analyzers</c>, <c>block_size</c> and <c>endpoints</c> bind to <see cref="FritureStreamingOptions"/>;
    /// <c>rate_limits</c>, <c>buffers</c>, <c>consumers</c> and <c>protocols</c> to <see cref="StreamingSettings"/>.
    /// </remarks>
    public static IServiceCollection AddFritureStreaming(this IServiceCollection services, IConfiguration configuration, Action<FritureStreamingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection { Key: "Streaming" } ? configuration : configuration.GetSection(ConfigurationSection);
        return services.AddFritureStreamingCore(_ =>
        {
            var options = new FritureStreamingOptions();
            section.Bind(options);
            options.Settings = StreamingSettings.FromConfiguration(section);
            configure?.Invoke(options);
            return options;
        });
    }

    private static IServiceCollection AddFritureStreamingCore(this IServiceCollection services, Func<IServiceProvider, FritureStreamingOptions> options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new FritureStreamingPipeline(
            options(sp),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton(static sp => sp.GetRequiredService<FritureStreamingPipeline>().Api);
        services.AddHostedService<FritureStreamingHostedService>();
        return services;
    }
}
