using System.Diagnostics.CodeAnalysis;
using Friture.Streaming.Protocols;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>A protocol kind whose <c>options</c> section binds to <typeparamref name="TOptions"/>, the protocol's own options type.</summary>
/// <typeparam name="TOptions">The protocol's options type.</typeparam>
/// <param name="name">The kind's name in settings.</param>
/// <param name="defaultPort">The port used when an entry gives none.</param>
/// <param name="bind">Binds a checked <c>options</c> section onto options (usually <c>(section, options) =&gt; section.Bind(options)</c>).</param>
/// <param name="create">Creates the protocol from the entry, its options (defaults when the entry has none, never null) and the context.</param>
/// <param name="capture">Describes a running protocol of this kind (null when it is another kind).</param>
/// <param name="validate">
/// Checks the options, throwing <see cref="ArgumentException"/> naming the option; null: <see cref="StreamingProtocolOptions"/>'
/// own validation, else the protocol's constructor (a protocol is created and released).
/// </param>
/// <param name="aliases">Other accepted names.</param>
public sealed class ProtocolKind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
    string name,
    int defaultPort,
    Action<IConfiguration, TOptions> bind,
    Func<ProtocolSettings, TOptions, ProtocolContext, StreamingProtocol> create,
    Func<StreamingProtocol, ProtocolSettings?> capture,
    Action<TOptions>? validate = null,
    params string[] aliases) : ProtocolKind(name, defaultPort, aliases)
    where TOptions : class, new()
{
    /// <inheritdoc/>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public override Type OptionsType => typeof(TOptions);

    internal override object BindOptions(IConfiguration? section)
    {
        var options = new TOptions();
        if (section is not null)
        {
            // "resolution" is text (network, full, or fft_spectrum.points=256,...): parsed here, hidden from the binder.
            var resolution = options is StreamingProtocolOptions ? section.GetChildren().FirstOrDefault(static c => SettingsSchema.Normalize(c.Key) == "RESOLUTION") : null;
            if (resolution is not null)
            {
                var rest = section.AsEnumerable(makePathsRelative: true)
                    .Where(pair => pair.Value is not null && !SettingsSchema.Normalize(pair.Key).Equals("RESOLUTION", StringComparison.Ordinal))
                    .ToDictionary(static pair => pair.Key, static pair => pair.Value, StringComparer.OrdinalIgnoreCase);
                section = new ConfigurationBuilder().AddInMemoryCollection(rest).Build();
            }

            bind(section, options);
            if (options is StreamingProtocolOptions common)
            {
                if (resolution?.Value is { } text)
                {
                    common.Resolution = Reduction.ResolutionParser.TryParseText(text, out var request, out var error)
                        ? request
                        : throw new InvalidOperationException($"resolution: {error}");
                }
                else
                {
                    // The binder sets every property it visits; without the key the resolution is not the entry's own.
                    common.ResolutionNotSet();
                }
            }
        }

        return options;
    }

    internal override void Validate(ProtocolSettings settings, object options)
    {
        var typed = Typed(settings, options);
        if (validate is not null)
        {
            validate(typed);
            return;
        }

        if (typed is StreamingProtocolOptions common)
        {
            common.Validate();
            return;
        }

        // The protocol's constructor checks its options: create one (not started) and release it.
        var protocol = create(settings, typed, new ProtocolContext());
        protocol.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    internal override StreamingProtocol Create(ProtocolSettings settings, ProtocolContext context) =>
        create(settings, Typed(settings, settings.Options ?? new TOptions()), context);

    internal override ProtocolSettings? Capture(StreamingProtocol protocol) => capture(protocol);

    private TOptions Typed(ProtocolSettings settings, object options) => options as TOptions
        ?? throw new ArgumentException(
            $"options of kind '{Name}' must be {typeof(TOptions).Name}, not {options.GetType().Name}.", nameof(settings));
}
