using System.Diagnostics.CodeAnalysis;
using Friture.Streaming.Protocols;
using Microsoft.Extensions.Configuration;

namespace Friture.Streaming.Configuration;

/// <summary>
/// One protocol kind of the settings schema (<c>websocket</c>, <c>tcp</c>, <c>mqtt</c>, ...): the type of its
/// <c>options</c> section, and how to create a protocol from a <see cref="ProtocolSettings"/> entry and describe a
/// running one. Each protocol package declares its kind once and registers it (for example <c>.AddMqtt()</c>).
/// </summary>
/// <remarks>Create one with <see cref="ProtocolKind{TOptions}"/>.</remarks>
public abstract class ProtocolKind
{
    private protected ProtocolKind(string name, int defaultPort, IReadOnlyList<string> aliases)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        DefaultPort = defaultPort;
        Aliases = aliases;
    }

    /// <summary>The kind's name in settings (<c>kind</c>), lower case.</summary>
    public string Name { get; }

    /// <summary>Other names accepted for <see cref="Name"/> (for example <c>http_sse</c> for <c>sse</c>).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The port used when an entry gives none.</summary>
    public int DefaultPort { get; }

    /// <summary>The options type: the schema of an entry's <c>options</c> section.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public abstract Type OptionsType { get; }

    /// <summary>Creates default options and binds <paramref name="section"/> (already checked against <see cref="OptionsType"/>) onto them.</summary>
    /// <param name="section">The <c>options</c> section, or null for the defaults.</param>
    /// <returns>The options.</returns>
    internal abstract object BindOptions(IConfiguration? section);

    /// <summary>Checks options; throws an exception naming the option, its value and the allowed range.</summary>
    /// <param name="settings">The entry.</param>
    /// <param name="options">The options (of <see cref="OptionsType"/>).</param>
    internal abstract void Validate(ProtocolSettings settings, object options);

    /// <summary>Creates the protocol an entry describes (not started).</summary>
    /// <param name="settings">The entry; its <see cref="ProtocolSettings.Options"/> is of <see cref="OptionsType"/> or null.</param>
    /// <param name="context">Logging and clock.</param>
    /// <returns>The protocol.</returns>
    internal abstract StreamingProtocol Create(ProtocolSettings settings, ProtocolContext context);

    /// <summary>Describes a protocol of this kind for a settings file, or returns null when it is not of this kind.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The entry, or null.</returns>
    internal abstract ProtocolSettings? Capture(StreamingProtocol protocol);
}
